// Overlapped model 1's TCP client: ConnectEx connects and sends the message in one overlapped request;
// WSARecv then receives the echo, each request completed through an event object and read back with
// WSAGetOverlappedResult. A refused connect completes with WSAECONNREFUSED.
// Run: pnpm example overlapped-event echo-client [port] [host] [message]   (127.0.0.1:9000 "hello")
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, shutdown, closesocket, SOCKADDR_IN, AF_INET, SOCK_STREAM,
  SD_SEND, INADDR_ANY, htonl, htons, inet_pton, sizeof, SOCKET_ERROR, INVALID_SOCKET, FALSE, WSAGetLastError,
  wsaErrorName, WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, WSA_WAIT_TIMEOUT, WSA_IO_PENDING,
  WSAOVERLAPPED, WSABUF, WSARecv, WSAGetOverlappedResult, ConnectEx, ZeroMemory, type SOCKET,
} from '@winsock-models/overlapped-event';

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

/** Waits for the request's event, then reads its result: the bytes transferred, or -1 (last error set). */
async function complete(sock: SOCKET, overlapped: WSAOVERLAPPED): Promise<number> {
  if (await WSAWaitForMultipleEvents(1, [overlapped.hEvent], FALSE, 5000, FALSE) === WSA_WAIT_TIMEOUT) {
    console.error('[overlapped-event] nothing completed for 5 s');
    process.exit(1);
  }
  const cbTransfer = { value: 0 };
  return WSAGetOverlappedResult(sock, overlapped, cbTransfer, FALSE, { value: 0 }) ? cbTransfer.value : -1;
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  const host = process.argv[3] ?? '127.0.0.1';
  const message = Buffer.from(process.argv[4] ?? 'hello');
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  // ConnectEx wants a bound socket (WSAEINVAL otherwise): any local address, any port.
  const localaddr = new SOCKADDR_IN();
  localaddr.sin_family = AF_INET;
  localaddr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(sock, localaddr, sizeof(localaddr)) === SOCKET_ERROR) err_quit('bind()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, serveraddr.sin_addr) !== 1) { console.error(`not an IPv4 address: ${host}`); process.exit(2); }
  serveraddr.sin_port = htons(port);

  const overlapped = new WSAOVERLAPPED();
  overlapped.hEvent = WSACreateEvent();
  // ConnectEx returns TRUE when done at once, FALSE with WSA_IO_PENDING when it completes later.
  if (!ConnectEx(sock, serveraddr, sizeof(serveraddr), message, message.length, null, overlapped) &&
      WSAGetLastError() !== WSA_IO_PENDING) err_quit('ConnectEx()');
  const sentWithConnect = await complete(sock, overlapped);
  if (sentWithConnect < 0) {
    console.error(`[overlapped-event] ConnectEx to ${host}:${port} failed: ${errText(WSAGetLastError())}`);
    process.exit(1);
  }
  console.log(`[overlapped-event] connected to ${host}:${port} (ConnectEx, ${sentWithConnect} bytes sent with the connect)`);
  shutdown(sock, SD_SEND);

  const echoed = Buffer.alloc(message.length);
  let received = 0;
  const wsabuf = new WSABUF();
  while (received < echoed.length) {
    const hEvent = overlapped.hEvent;
    ZeroMemory(overlapped, sizeof(overlapped));  // a fresh WSAOVERLAPPED for every request
    overlapped.hEvent = hEvent;
    wsabuf.buf = echoed.subarray(received);
    wsabuf.len = echoed.length - received;
    if (WSARecv(sock, wsabuf, 1, null, { value: 0 }, overlapped, null) === SOCKET_ERROR &&
        WSAGetLastError() !== WSA_IO_PENDING) err_quit('WSARecv()');
    const n = await complete(sock, overlapped);
    if (n < 0) err_quit('WSARecv() completion');
    if (n === 0) break;  // the server closed
    received += n;
  }
  console.log(`[overlapped-event] echoed ${received} of ${message.length} bytes: ${echoed.subarray(0, received).toString()}`);
  closesocket(sock);
  WSACloseEvent(overlapped.hEvent);
  WSACleanup();
  process.exit(received === message.length ? 0 : 1);
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
