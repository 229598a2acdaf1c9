// Overlapped model 2's TCP client: ConnectEx connects and sends the message (ConnectEx has no
// completion-routine form, so it completes through an event), then WSARecv with a completion routine
// receives the echo: the routine runs only while this thread waits alertably (SleepEx(INFINITE, TRUE)),
// and issues the next WSARecv until the server closes. A refused connect completes with WSAECONNREFUSED.
// Run: pnpm example overlapped-routine echo-client [port] [host] [message]   (127.0.0.1:9000 "hello")
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, shutdown, closesocket, SOCKADDR_IN, AF_INET, SOCK_STREAM,
  SD_SEND, INADDR_ANY, htonl, htons, inet_pton, sizeof, SOCKET_ERROR, INVALID_SOCKET, FALSE, TRUE, INFINITE,
  WSAGetLastError, wsaErrorName, WSACreateEvent, WSACloseEvent, WaitForSingleObjectEx, WAIT_OBJECT_0, SleepEx,
  WSA_IO_PENDING, WSAOVERLAPPED, WSABUF, WSARecv, WSAGetOverlappedResult, ConnectEx, ZeroMemory, type SOCKET,
} from '@winsock-models/overlapped-routine';

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

// The WSAOVERLAPPED comes first, so the routine's lpOverlapped is the whole RECVINFO, as in C.
class RECVINFO extends WSAOVERLAPPED {
  sock: SOCKET = INVALID_SOCKET;
  echoed = Buffer.alloc(0);
  received = 0;
  wsabuf = new WSABUF();
  done = false;
}

function issueRecv(ptr: RECVINFO): void {
  ZeroMemory(ptr, sizeof(WSAOVERLAPPED));
  ptr.wsabuf.buf = ptr.echoed.subarray(ptr.received);
  ptr.wsabuf.len = ptr.echoed.length - ptr.received;
  if (WSARecv(ptr.sock, ptr.wsabuf, 1, null, { value: 0 }, ptr, CompletionRoutine) === SOCKET_ERROR &&
      WSAGetLastError() !== WSA_IO_PENDING) err_quit('WSARecv()');
}

function CompletionRoutine(dwError: number, cbTransferred: number, lpOverlapped: WSAOVERLAPPED, _dwFlags: number): void {
  const ptr = lpOverlapped as RECVINFO;
  if (dwError !== 0) console.error(`[overlapped-routine] WSARecv completed with ${errText(dwError)}`);
  ptr.received += cbTransferred;
  if (dwError !== 0 || cbTransferred === 0 || ptr.received === ptr.echoed.length) ptr.done = true;
  else issueRecv(ptr);  // the next request, from inside the routine
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

  const connectov = new WSAOVERLAPPED();
  connectov.hEvent = WSACreateEvent();
  if (!ConnectEx(sock, serveraddr, sizeof(serveraddr), message, message.length, null, connectov) &&
      WSAGetLastError() !== WSA_IO_PENDING) err_quit('ConnectEx()');
  if (await WaitForSingleObjectEx(connectov.hEvent, 5000, FALSE) !== WAIT_OBJECT_0) {
    console.error('[overlapped-routine] ConnectEx did not complete in 5 s');
    process.exit(1);
  }
  const sentWithConnect = { value: 0 };
  if (!WSAGetOverlappedResult(sock, connectov, sentWithConnect, FALSE, { value: 0 })) {
    console.error(`[overlapped-routine] ConnectEx to ${host}:${port} failed: ${errText(WSAGetLastError())}`);
    process.exit(1);
  }
  WSACloseEvent(connectov.hEvent);
  console.log(`[overlapped-routine] connected to ${host}:${port} (ConnectEx, ${sentWithConnect.value} bytes sent with the connect)`);
  shutdown(sock, SD_SEND);

  const ptr = new RECVINFO();
  ptr.sock = sock;
  ptr.echoed = Buffer.alloc(message.length);
  issueRecv(ptr);
  // The alertable wait: each return is WAIT_IO_COMPLETION, after the routines queued so far ran.
  while (!ptr.done) await SleepEx(INFINITE, TRUE);
  console.log(`[overlapped-routine] echoed ${ptr.received} of ${message.length} bytes: ${ptr.echoed.subarray(0, ptr.received).toString()}`);
  closesocket(sock);
  WSACleanup();
  process.exit(ptr.received === message.length ? 0 : 1);
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
