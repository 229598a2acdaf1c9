// The README's example, kept compiling: the classic WSAEventSelect echo server on port 9000.
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, SOCKADDR_IN, AF_INET,
  SOCK_STREAM, INADDR_ANY, htonl, htons, sizeof, SOMAXCONN, SOCKET_ERROR, INVALID_SOCKET, FALSE, WSAGetLastError,
  WSAEWOULDBLOCK, WSACreateEvent, WSACloseEvent, WSAEventSelect, WSAWaitForMultipleEvents, WSAEnumNetworkEvents,
  WSANETWORKEVENTS, WSA_INFINITE, WSA_WAIT_EVENT_0, WSA_WAIT_FAILED, WSA_MAXIMUM_WAIT_EVENTS, FD_ACCEPT, FD_READ,
  FD_WRITE, FD_CLOSE, FD_ACCEPT_BIT, FD_CLOSE_BIT, type SOCKET, type WSAEVENT,
} from '../src/index.js';

const BUFSIZE = 512;
interface SOCKETINFO { sock: SOCKET; buf: Buffer; recvbytes: number; sendbytes: number }
const SocketInfoArray: SOCKETINFO[] = [];
const EventArray: WSAEVENT[] = [];
let nTotalSockets = 0;

function AddSocketInfo(sock: SOCKET): void {
  SocketInfoArray[nTotalSockets] = { sock, buf: Buffer.alloc(BUFSIZE), recvbytes: 0, sendbytes: 0 };
  EventArray[nTotalSockets] = WSACreateEvent();
  ++nTotalSockets;
}
function RemoveSocketInfo(i: number): void {
  closesocket(SocketInfoArray[i]!.sock);
  WSACloseEvent(EventArray[i]!);
  SocketInfoArray[i] = SocketInfoArray[nTotalSockets - 1]!;
  EventArray[i] = EventArray[nTotalSockets - 1]!;
  --nTotalSockets;
}

WSAStartup(MAKEWORD(2, 2), new WSADATA());
const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
const serveraddr = new SOCKADDR_IN();
serveraddr.sin_family = AF_INET;
serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
serveraddr.sin_port = htons(9000);
bind(listen_sock, serveraddr, sizeof(serveraddr));
listen(listen_sock, SOMAXCONN);
AddSocketInfo(listen_sock);
WSAEventSelect(listen_sock, EventArray[nTotalSockets - 1]!, FD_ACCEPT | FD_CLOSE);

const NetworkEvents = new WSANETWORKEVENTS();
while (true) {
  let i = await WSAWaitForMultipleEvents(nTotalSockets, EventArray, FALSE, WSA_INFINITE, FALSE);
  if (i === WSA_WAIT_FAILED) continue;
  i -= WSA_WAIT_EVENT_0;
  if (WSAEnumNetworkEvents(SocketInfoArray[i]!.sock, EventArray[i]!, NetworkEvents) === SOCKET_ERROR) continue;

  if (NetworkEvents.lNetworkEvents & FD_ACCEPT) {
    if (NetworkEvents.iErrorCode[FD_ACCEPT_BIT] !== 0) continue;
    const client_sock = accept(SocketInfoArray[i]!.sock, null, null);
    if (client_sock === INVALID_SOCKET) continue;
    if (nTotalSockets >= WSA_MAXIMUM_WAIT_EVENTS) { closesocket(client_sock); continue; }
    AddSocketInfo(client_sock);
    WSAEventSelect(client_sock, EventArray[nTotalSockets - 1]!, FD_READ | FD_WRITE | FD_CLOSE);
  }
  if (NetworkEvents.lNetworkEvents & (FD_READ | FD_WRITE)) {
    const ptr = SocketInfoArray[i]!;
    if (ptr.recvbytes === 0) {
      const retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
      if (retval === SOCKET_ERROR) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) RemoveSocketInfo(i);
        continue;
      }
      ptr.recvbytes = retval;
    }
    if (ptr.recvbytes > ptr.sendbytes) {
      const retval = send(ptr.sock, ptr.buf.subarray(ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
      if (retval === SOCKET_ERROR) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) RemoveSocketInfo(i);
        continue;
      }
      ptr.sendbytes += retval;
      if (ptr.recvbytes === ptr.sendbytes) ptr.recvbytes = ptr.sendbytes = 0;
    }
  }
  if (NetworkEvents.lNetworkEvents & FD_CLOSE) {
    if (NetworkEvents.iErrorCode[FD_CLOSE_BIT] !== 0) console.log('FD_CLOSE error', NetworkEvents.iErrorCode[FD_CLOSE_BIT]);
    RemoveSocketInfo(i);
  }
}
