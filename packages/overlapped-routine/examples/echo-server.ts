// A complete Overlapped-model-2 echo server: completion routines do all the I/O; the only waiting is
// an alertable WSAWaitForMultipleEvents on the AcceptEx event, which also runs the routines.
// Run: pnpm example overlapped-routine echo-server [port]   (port 9000 by default; 0 picks a free one)
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, closesocket, SOCKADDR_IN, AF_INET, SOCK_STREAM, INADDR_ANY,
  htonl, htons, sizeof, SOMAXCONN, SOCKET_ERROR, INVALID_SOCKET, FALSE, TRUE, WSAGetLastError, WSACreateEvent,
  WSAResetEvent, WSAWaitForMultipleEvents, WSA_INFINITE, WSA_WAIT_EVENT_0, WSA_IO_PENDING, WSAOVERLAPPED, WSABUF,
  WSARecv, WSASend, AcceptEx, ZeroMemory, getsockname, inet_ntop, ntohs, wsaErrorName, type SOCKET,
} from '@winsock-models/overlapped-routine';

const BUFSIZE = 512;

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}
const ADDRLEN = 16 + 16;

// The WSAOVERLAPPED comes first, so the routine's lpOverlapped is the whole SOCKETINFO, as in C.
class SOCKETINFO extends WSAOVERLAPPED {
  sock: SOCKET = INVALID_SOCKET;
  buf = Buffer.alloc(BUFSIZE);
  recvbytes = 0;
  sendbytes = 0;
  wsabuf = new WSABUF();
}

function CompletionRoutine(dwError: number, cbTransferred: number, lpOverlapped: WSAOVERLAPPED, _dwFlags: number): void {
  const ptr = lpOverlapped as SOCKETINFO;
  if (dwError !== 0 || cbTransferred === 0) { closesocket(ptr.sock); return; }  // an error, or the peer closed
  // One routine serves both requests: recvbytes 0 says the request that completed was the WSARecv (the
  // bytes just received); otherwise it was a WSASend (bytes of the echo sent).
  if (ptr.recvbytes === 0) { ptr.recvbytes = cbTransferred; ptr.sendbytes = 0; }
  else ptr.sendbytes += cbTransferred;
  ZeroMemory(ptr, sizeof(WSAOVERLAPPED));  // a fresh WSAOVERLAPPED for the next request
  let retval: number;
  if (ptr.recvbytes > ptr.sendbytes) {              // echo what is not sent yet
    ptr.wsabuf.buf = ptr.buf.subarray(ptr.sendbytes);
    ptr.wsabuf.len = ptr.recvbytes - ptr.sendbytes;
    retval = WSASend(ptr.sock, ptr.wsabuf, 1, null, 0, ptr, CompletionRoutine);
  } else {                                          // all echoed: receive again
    ptr.recvbytes = 0;
    ptr.wsabuf.buf = ptr.buf;
    ptr.wsabuf.len = BUFSIZE;
    retval = WSARecv(ptr.sock, ptr.wsabuf, 1, null, { value: 0 }, ptr, CompletionRoutine);
  }
  if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) closesocket(ptr.sock);
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
  console.log(`[overlapped-routine] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const hAcceptEvent = WSACreateEvent();
  const acceptbuf = Buffer.alloc(2 * ADDRLEN);
  const acceptov = new WSAOVERLAPPED();
  while (true) {
    const client_sock = socket(AF_INET, SOCK_STREAM, 0);
    ZeroMemory(acceptov, sizeof(acceptov));
    acceptov.hEvent = hAcceptEvent;
    if (!AcceptEx(listen_sock, client_sock, acceptbuf, 0, ADDRLEN, ADDRLEN, null, acceptov) &&
        WSAGetLastError() !== WSA_IO_PENDING) err_quit('AcceptEx()');
    // The alertable wait: routines run here (WSA_WAIT_IO_COMPLETION) until a client is accepted.
    while (await WSAWaitForMultipleEvents(1, [hAcceptEvent], FALSE, WSA_INFINITE, TRUE) !== WSA_WAIT_EVENT_0);
    WSAResetEvent(hAcceptEvent);
    const ptr = new SOCKETINFO();
    ptr.sock = client_sock;
    ptr.wsabuf.buf = ptr.buf;
    ptr.wsabuf.len = BUFSIZE;
    if (WSARecv(ptr.sock, ptr.wsabuf, 1, null, { value: 0 }, ptr, CompletionRoutine) === SOCKET_ERROR &&
        WSAGetLastError() !== WSA_IO_PENDING) closesocket(ptr.sock);
  }
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
