// A complete Overlapped-model-1 echo server: one WSAOVERLAPPED and one event per socket, up to 63
// clients (one WSAWaitForMultipleEvents), accepting with AcceptEx on the event at index 0.
// Run: pnpm example overlapped-event echo-server [port]   (port 9000 by default; 0 picks a free one)
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, closesocket, SOCKADDR_IN, AF_INET, SOCK_STREAM, INADDR_ANY,
  htonl, htons, sizeof, SOMAXCONN, SOCKET_ERROR, INVALID_SOCKET, FALSE, WSAGetLastError, WSACreateEvent,
  WSACloseEvent, WSAResetEvent, WSAWaitForMultipleEvents, WSA_INFINITE, WSA_WAIT_EVENT_0, WSA_WAIT_FAILED,
  WSA_MAXIMUM_WAIT_EVENTS, WSA_IO_PENDING, WSAOVERLAPPED, WSABUF, WSARecv, WSASend, WSAGetOverlappedResult, AcceptEx,
  ZeroMemory, getsockname, inet_ntop, ntohs, wsaErrorName, type SOCKET, type WSAEVENT,
} from '@winsock-models/overlapped-event';

const BUFSIZE = 512;

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}
const ADDRLEN = 16 + 16;

class SOCKETINFO {
  overlapped = new WSAOVERLAPPED();
  sock: SOCKET = INVALID_SOCKET;
  buf = Buffer.alloc(BUFSIZE);
  recvbytes = 0;
  sendbytes = 0;
  wsabuf = new WSABUF();
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) err_quit('listen()');
  getsockname(listen_sock, serveraddr, { value: sizeof(serveraddr) });
  console.log(`[overlapped-event] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const SocketInfoArray: Array<SOCKETINFO | null> = [null];
  const EventArray: WSAEVENT[] = [WSACreateEvent()]; // index 0: AcceptEx completes here
  const acceptbuf = Buffer.alloc(2 * ADDRLEN);
  const acceptov = new WSAOVERLAPPED();
  let client_sock = INVALID_SOCKET;
  const postAccept = () => {
    client_sock = socket(AF_INET, SOCK_STREAM, 0);
    ZeroMemory(acceptov, sizeof(acceptov));
    acceptov.hEvent = EventArray[0]!;
    if (!AcceptEx(listen_sock, client_sock, acceptbuf, 0, ADDRLEN, ADDRLEN, null, acceptov) &&
        WSAGetLastError() !== WSA_IO_PENDING) err_quit('AcceptEx()');
  };
  const issueRecv = (ptr: SOCKETINFO, i: number) => {
    ZeroMemory(ptr.overlapped, sizeof(ptr.overlapped));
    ptr.overlapped.hEvent = EventArray[i]!;
    ptr.wsabuf.buf = ptr.buf;
    ptr.wsabuf.len = BUFSIZE;
    return WSARecv(ptr.sock, ptr.wsabuf, 1, null, { value: 0 }, ptr.overlapped, null);
  };
  const remove = (i: number) => {
    closesocket(SocketInfoArray[i]!.sock);
    WSACloseEvent(EventArray[i]!);
    SocketInfoArray.splice(i, 1);
    EventArray.splice(i, 1);
  };
  postAccept();

  while (true) {
    let i = await WSAWaitForMultipleEvents(EventArray.length, EventArray, FALSE, WSA_INFINITE, FALSE);
    if (i === WSA_WAIT_FAILED) continue;
    i -= WSA_WAIT_EVENT_0;
    WSAResetEvent(EventArray[i]!);
    if (i === 0) {
      // A client was accepted: one SOCKETINFO and one event for it, and its first WSARecv.
      if (WSAGetOverlappedResult(listen_sock, acceptov, { value: 0 }, FALSE, { value: 0 }) &&
          EventArray.length < WSA_MAXIMUM_WAIT_EVENTS) {
        const ptr = new SOCKETINFO();
        ptr.sock = client_sock;
        SocketInfoArray.push(ptr);
        EventArray.push(WSACreateEvent());
        if (issueRecv(ptr, EventArray.length - 1) === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) remove(EventArray.length - 1);
      } else {
        closesocket(client_sock);
      }
      postAccept();
      continue;
    }
    const ptr = SocketInfoArray[i]!;
    const cbTransferred = { value: 0 };
    if (!WSAGetOverlappedResult(ptr.sock, ptr.overlapped, cbTransferred, FALSE, { value: 0 }) || cbTransferred.value === 0) {
      remove(i);
      continue;
    }
    if (ptr.recvbytes === 0) { ptr.recvbytes = cbTransferred.value; ptr.sendbytes = 0; }
    else ptr.sendbytes += cbTransferred.value;
    let retval: number;
    if (ptr.recvbytes > ptr.sendbytes) {
      ZeroMemory(ptr.overlapped, sizeof(ptr.overlapped));
      ptr.overlapped.hEvent = EventArray[i]!;
      ptr.wsabuf.buf = ptr.buf.subarray(ptr.sendbytes);
      ptr.wsabuf.len = ptr.recvbytes - ptr.sendbytes;
      retval = WSASend(ptr.sock, ptr.wsabuf, 1, null, 0, ptr.overlapped, null);
    } else {
      ptr.recvbytes = 0;
      retval = issueRecv(ptr, i);
    }
    if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) remove(i);
  }
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
