// The WSAEventSelect model's TCP echo server (the study notes' WSAEventSelect server): one event object
// per socket, one WSAWaitForMultipleEvents over all of them, WSAEnumNetworkEvents to learn what happened.
// Run: pnpm example event-select echo-server [port] [--textbook]   (port 9000 by default; 0 picks one)
//
// Two places leave the textbook, on purpose, each marked "the fix":
//  - FD_CLOSE: Windows records FD_CLOSE as soon as the peer's FIN arrives, even while its data is still
//    unread, so a client that sends and closes at once gets FD_CLOSE with (or before) its FD_READ. The
//    textbook closes the socket on FD_CLOSE, which resets the connection and loses the echo (on Windows
//    too). The fix closes only once everything was received and echoed. `--textbook` runs the textbook
//    line, to see the loss.
//  - A burst: an FD_READ that comes while an echo is still unsent is consumed without a recv, and only
//    recv re-enables FD_READ. Once the echo is out, the fix signals the socket's event once more so the
//    next pass calls recv.
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, getsockname, ioctlsocket,
  SOCKADDR_IN, AF_INET, SOCK_STREAM, INADDR_ANY, FIONREAD, htonl, htons, ntohs, inet_ntop, sizeof, SOMAXCONN,
  SOCKET_ERROR, INVALID_SOCKET, FALSE, WSAGetLastError, wsaErrorName, WSAEWOULDBLOCK, WSACreateEvent, WSACloseEvent,
  WSASetEvent, WSAEventSelect, WSAWaitForMultipleEvents, WSAEnumNetworkEvents, WSANETWORKEVENTS, WSA_INFINITE,
  WSA_WAIT_EVENT_0, WSA_WAIT_FAILED, WSA_MAXIMUM_WAIT_EVENTS, FD_ACCEPT, FD_READ, FD_WRITE, FD_CLOSE, FD_ACCEPT_BIT,
  FD_CLOSE_BIT, type SOCKET, type WSAEVENT,
} from '@winsock-models/event-select';

const BUFSIZE = 512;
const TEXTBOOK = process.argv.includes('--textbook');

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}

interface SOCKETINFO {
  sock: SOCKET; buf: Buffer; recvbytes: number; sendbytes: number;
  recvpending: boolean;  // the fix (burst): an FD_READ was consumed while an echo was unsent
  closing: boolean;      // the fix (FD_CLOSE): the peer closed; close once everything is echoed
}
const SocketInfoArray: SOCKETINFO[] = [];
const EventArray: WSAEVENT[] = [];
let nTotalSockets = 0;

function AddSocketInfo(sock: SOCKET): void {
  SocketInfoArray[nTotalSockets] = { sock, buf: Buffer.alloc(BUFSIZE), recvbytes: 0, sendbytes: 0, recvpending: false, closing: false };
  EventArray[nTotalSockets] = WSACreateEvent();
  ++nTotalSockets;
}
function RemoveSocketInfo(i: number): void {
  closesocket(SocketInfoArray[i]!.sock);
  WSACloseEvent(EventArray[i]!);
  SocketInfoArray[i] = SocketInfoArray[nTotalSockets - 1]!;
  EventArray[i] = EventArray[nTotalSockets - 1]!;
  --nTotalSockets;
  SocketInfoArray.length = EventArray.length = nTotalSockets;
}
/** The fix (FD_CLOSE): everything received was echoed and nothing more waits to be read. */
function drained(ptr: SOCKETINFO): boolean {
  const unread = { value: 0 };
  ioctlsocket(ptr.sock, FIONREAD, unread);
  return ptr.recvbytes <= ptr.sendbytes && unread.value === 0;
}

async function main(): Promise<void> {
  const port = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 9000);
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) err_quit('listen()');
  AddSocketInfo(listen_sock);
  if (WSAEventSelect(listen_sock, EventArray[nTotalSockets - 1]!, FD_ACCEPT | FD_CLOSE) === SOCKET_ERROR) err_quit('WSAEventSelect()');
  getsockname(listen_sock, serveraddr, { value: sizeof(serveraddr) });
  console.log(`[event-select] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}` +
    (TEXTBOOK ? ' (--textbook: FD_CLOSE closes at once)' : ''));

  const NetworkEvents = new WSANETWORKEVENTS();
  while (true) {
    let i = await WSAWaitForMultipleEvents(nTotalSockets, EventArray, FALSE, WSA_INFINITE, FALSE);
    if (i === WSA_WAIT_FAILED) continue;
    i -= WSA_WAIT_EVENT_0;
    if (WSAEnumNetworkEvents(SocketInfoArray[i]!.sock, EventArray[i]!, NetworkEvents) === SOCKET_ERROR) continue;
    const events = NetworkEvents.lNetworkEvents;
    const closeError = events & FD_CLOSE ? NetworkEvents.iErrorCode[FD_CLOSE_BIT]! : 0;
    if (events & FD_CLOSE && closeError === 0) SocketInfoArray[i]!.closing = true;

    if (events & FD_ACCEPT) {
      if (NetworkEvents.iErrorCode[FD_ACCEPT_BIT] !== 0) continue;
      const client_sock = accept(SocketInfoArray[i]!.sock, null, null);
      if (client_sock === INVALID_SOCKET) continue;
      if (nTotalSockets >= WSA_MAXIMUM_WAIT_EVENTS) { closesocket(client_sock); continue; }
      AddSocketInfo(client_sock);
      // The accepted socket inherited FD_ACCEPT | FD_CLOSE: ask for what a connection needs.
      if (WSAEventSelect(client_sock, EventArray[nTotalSockets - 1]!, FD_READ | FD_WRITE | FD_CLOSE) === SOCKET_ERROR)
        RemoveSocketInfo(nTotalSockets - 1);
      continue;
    }
    const ptr = SocketInfoArray[i]!;
    if (events & (FD_READ | FD_WRITE) || ptr.recvpending) {
      const received = ptr.recvbytes === 0;
      if (ptr.recvbytes === 0) {
        ptr.recvpending = false;
        const retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
        if (retval === SOCKET_ERROR) {
          if (WSAGetLastError() !== WSAEWOULDBLOCK) { RemoveSocketInfo(i); continue; }
        } else {
          ptr.recvbytes = retval;
        }
      }
      if (ptr.recvbytes > ptr.sendbytes) {
        const retval = send(ptr.sock, ptr.buf.subarray(ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
        if (retval === SOCKET_ERROR) {
          if (WSAGetLastError() !== WSAEWOULDBLOCK) RemoveSocketInfo(i);
          continue;  // WSAEWOULDBLOCK: FD_WRITE comes when there is room
        }
        ptr.sendbytes += retval;
        if (ptr.recvbytes === ptr.sendbytes) {
          ptr.recvbytes = ptr.sendbytes = 0;
          if (!received) {  // the fix (burst): this pass sent without a recv; make the next one recv
            ptr.recvpending = true;
            WSASetEvent(EventArray[i]!);
          }
        }
      }
    }
    if (events & FD_CLOSE && (TEXTBOOK || closeError !== 0)) {
      RemoveSocketInfo(i);  // the textbook line; with an error (a reset) nothing is left to save anyway
    } else if (!TEXTBOOK && ptr.closing && drained(ptr)) {
      RemoveSocketInfo(i);  // the fix (FD_CLOSE): closed once everything is echoed
    }
  }
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
