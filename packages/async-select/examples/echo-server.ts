// The README's example, kept compiling: the classic WSAAsyncSelect echo server on port 9000.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, SOCKADDR_IN,
  AF_INET, SOCK_STREAM, INADDR_ANY, htonl, htons, sizeof, SOMAXCONN, SOCKET_ERROR, INVALID_SOCKET, WSAGetLastError,
  WSAEWOULDBLOCK, WNDCLASS, RegisterClass, CreateWindow, DefWindowProc, GetMessage, TranslateMessage, DispatchMessage,
  PostMessage, PostQuitMessage, MSG, WM_USER, WM_DESTROY, WSAAsyncSelect, WSAGETSELECTEVENT, WSAGETSELECTERROR,
  FD_ACCEPT, FD_READ, FD_WRITE, FD_CLOSE, type HWND, type SOCKET,
} from '../src/index.js';

const BUFSIZE = 512;
const WM_SOCKET = WM_USER + 1;

class SOCKETINFO {
  sock: SOCKET = INVALID_SOCKET;
  buf = Buffer.alloc(BUFSIZE + 1);
  recvbytes = 0;
  sendbytes = 0;
  recvdelayed = false;
  next: SOCKETINFO | null = null;
}
let SocketInfoList: SOCKETINFO | null = null;

function AddSocketInfo(sock: SOCKET): void {
  const ptr = new SOCKETINFO();
  ptr.sock = sock;
  ptr.next = SocketInfoList;
  SocketInfoList = ptr;
}
function GetSocketInfo(sock: SOCKET): SOCKETINFO | null {
  for (let ptr = SocketInfoList; ptr; ptr = ptr.next) if (ptr.sock === sock) return ptr;
  return null;
}
function RemoveSocketInfo(sock: SOCKET): void {
  for (let curr = SocketInfoList, prev: SOCKETINFO | null = null; curr; prev = curr, curr = curr.next) {
    if (curr.sock !== sock) continue;
    if (prev) prev.next = curr.next;
    else SocketInfoList = curr.next;
    closesocket(curr.sock);
    return;
  }
}

function WndProc(hWnd: HWND, uMsg: number, wParam: number, lParam: number): number {
  switch (uMsg) {
    case WM_SOCKET:
      ProcessSocketMessage(hWnd, uMsg, wParam, lParam);
      return 0;
    case WM_DESTROY:
      PostQuitMessage(0);
      return 0;
  }
  return DefWindowProc(hWnd, uMsg, wParam, lParam);
}

function ProcessSocketMessage(hWnd: HWND, _uMsg: number, wParam: number, lParam: number): void {
  let ptr: SOCKETINFO | null;
  let retval: number;
  if (WSAGETSELECTERROR(lParam)) {  // always look at the error first
    RemoveSocketInfo(wParam);
    return;
  }
  switch (WSAGETSELECTEVENT(lParam)) {
    case FD_ACCEPT: {
      const client_sock = accept(wParam, null, null);
      if (client_sock === INVALID_SOCKET) return;
      AddSocketInfo(client_sock);
      // The accepted socket inherited FD_ACCEPT | FD_CLOSE: ask for what a connection needs.
      if (WSAAsyncSelect(client_sock, hWnd, WM_SOCKET, FD_READ | FD_WRITE | FD_CLOSE) === SOCKET_ERROR)
        RemoveSocketInfo(client_sock);
      break;
    }
    case FD_READ:
      ptr = GetSocketInfo(wParam);
      if (ptr === null) return;  // a message queued before its socket was closed
      if (ptr.recvbytes > 0) {
        ptr.recvdelayed = true;  // no recv now: no further FD_READ until we post one ourselves
        return;
      }
      retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
      if (retval === SOCKET_ERROR) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) RemoveSocketInfo(wParam);
        return;
      }
      ptr.recvbytes = retval;
      // falls through
    case FD_WRITE:
      ptr = GetSocketInfo(wParam);
      if (ptr === null || ptr.recvbytes <= ptr.sendbytes) return;
      retval = send(ptr.sock, ptr.buf.subarray(ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
      if (retval === SOCKET_ERROR) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) RemoveSocketInfo(wParam);
        return;
      }
      ptr.sendbytes += retval;
      if (ptr.recvbytes === ptr.sendbytes) {
        ptr.recvbytes = ptr.sendbytes = 0;
        if (ptr.recvdelayed) {
          ptr.recvdelayed = false;
          PostMessage(hWnd, WM_SOCKET, wParam, FD_READ);
        }
      }
      break;
    case FD_CLOSE:
      RemoveSocketInfo(wParam);
      break;
  }
}

const wndclass = new WNDCLASS();
wndclass.lpfnWndProc = WndProc;
wndclass.lpszClassName = 'MyWndClass';
if (!RegisterClass(wndclass)) process.exit(1);
const hWnd = CreateWindow('MyWndClass', 'TCP server', 0, 0, 0, 600, 200, null, null, null, null);
if (hWnd === 0) process.exit(1);

if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
const serveraddr = new SOCKADDR_IN();
serveraddr.sin_family = AF_INET;
serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
serveraddr.sin_port = htons(9000);
if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) process.exit(1);
if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) process.exit(1);
if (WSAAsyncSelect(listen_sock, hWnd, WM_SOCKET, FD_ACCEPT | FD_CLOSE) === SOCKET_ERROR) process.exit(1);

const msg = new MSG();
while ((await GetMessage(msg, null, 0, 0)) > 0) {
  TranslateMessage(msg);
  DispatchMessage(msg);
}
WSACleanup();
