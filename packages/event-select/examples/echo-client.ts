// The WSAEventSelect model's TCP client: connect on a socket registered for FD_CONNECT | FD_READ |
// FD_WRITE | FD_CLOSE with one event object. The connect returns WSAEWOULDBLOCK at once; the event is
// signalled when it ends, and WSAEnumNetworkEvents gives FD_CONNECT with its error in
// iErrorCode[FD_CONNECT_BIT] (WSAECONNREFUSED when nothing listens). Then FD_WRITE (send), FD_READ (the
// echo) and FD_CLOSE (the server's close after our shutdown(SD_SEND)).
// Run: pnpm example event-select echo-client [port] [host] [message]   (127.0.0.1:9000 "hello")
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, connect, send, recv, shutdown, closesocket, SOCKADDR_IN,
  AF_INET, SOCK_STREAM, SD_SEND, htons, inet_pton, sizeof, SOCKET_ERROR, INVALID_SOCKET, FALSE, WSAGetLastError,
  wsaErrorName, WSAEWOULDBLOCK, WSACreateEvent, WSACloseEvent, WSAEventSelect, WSAWaitForMultipleEvents,
  WSAEnumNetworkEvents, WSANETWORKEVENTS, WSA_WAIT_TIMEOUT, FD_CONNECT, FD_READ, FD_WRITE, FD_CLOSE, FD_CONNECT_BIT,
  FD_CLOSE_BIT,
} from '@winsock-models/event-select';

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  const host = process.argv[3] ?? '127.0.0.1';
  const message = Buffer.from(process.argv[4] ?? 'hello');
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  const hEvent = WSACreateEvent();
  // Register first: the socket becomes non-blocking, so connect returns WSAEWOULDBLOCK.
  if (WSAEventSelect(sock, hEvent, FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE) === SOCKET_ERROR) err_quit('WSAEventSelect()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, serveraddr.sin_addr) !== 1) { console.error(`not an IPv4 address: ${host}`); process.exit(2); }
  serveraddr.sin_port = htons(port);
  if (connect(sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR && WSAGetLastError() !== WSAEWOULDBLOCK) err_quit('connect()');

  const echoed = Buffer.alloc(message.length);
  let received = 0;
  let sent = false;
  const NetworkEvents = new WSANETWORKEVENTS();
  for (;;) {
    if (await WSAWaitForMultipleEvents(1, [hEvent], FALSE, 5000, FALSE) === WSA_WAIT_TIMEOUT) {
      console.error('[event-select] no network event for 5 s');
      process.exit(1);
    }
    if (WSAEnumNetworkEvents(sock, hEvent, NetworkEvents) === SOCKET_ERROR) err_quit('WSAEnumNetworkEvents()');
    const events = NetworkEvents.lNetworkEvents;
    if (events & FD_CONNECT) {
      const error = NetworkEvents.iErrorCode[FD_CONNECT_BIT]!;
      if (error !== 0) {
        console.error(`[event-select] connect to ${host}:${port} failed (FD_CONNECT): ${errText(error)}`);
        process.exit(1);
      }
      console.log(`[event-select] connected to ${host}:${port} (FD_CONNECT)`);
    }
    if (events & FD_WRITE && !sent) {  // once after the connect; again only after WSAEWOULDBLOCK
      if (send(sock, message, message.length, 0) === SOCKET_ERROR) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) err_quit('send()');
      } else {
        sent = true;
        shutdown(sock, SD_SEND);
      }
    }
    if (events & FD_READ) {
      const r = recv(sock, echoed.subarray(received), echoed.length - received, 0);
      if (r > 0) received += r;
    }
    if (events & FD_CLOSE) {
      const error = NetworkEvents.iErrorCode[FD_CLOSE_BIT]!;
      if (error !== 0) console.error(`[event-select] FD_CLOSE: ${errText(error)}`);
      // Data may still be unread when FD_CLOSE comes: read it to the end.
      for (let r; received < echoed.length && (r = recv(sock, echoed.subarray(received), echoed.length - received, 0)) > 0;) received += r;
      break;
    }
  }
  console.log(`[event-select] echoed ${received} of ${message.length} bytes: ${echoed.subarray(0, received).toString()}`);
  closesocket(sock);
  WSACloseEvent(hEvent);
  WSACleanup();
  process.exit(received === message.length ? 0 : 1);
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
