// The WSAAsyncSelect model's TCP echo server (the study notes' WSAAsyncSelect server): one window, one
// message per network event, the window procedure calls the matching socket function.
// Run: pnpm example async-select echo-server [port] [--textbook]   (port 9000 by default; 0 picks one)
//
// One place leaves the textbook, on purpose: FD_CLOSE. Windows records FD_CLOSE as soon as the peer's
// FIN arrives, even while its data is still unread, and an accepted socket inherits FD_CLOSE from the
// listener's registration — so a client that sends and closes at once (`printf 'x\n' | nc -q1 ...`)
// gets FD_CLOSE posted before, or right after, its FD_READ. The textbook's FD_CLOSE case closes the
// socket at once; closing with unread data resets the connection and the client loses its echo (on
// Windows too). The fix below drains first: a graceful FD_CLOSE marks the socket "closing", and it is
// closed once everything was received and echoed. `--textbook` runs the textbook line, to see the loss.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, getsockname,
  ioctlsocket, SOCKADDR_IN, AF_INET, SOCK_STREAM, INADDR_ANY, FIONREAD, htonl, htons, ntohs, inet_ntop, sizeof,
  SOMAXCONN, SOCKET_ERROR, INVALID_SOCKET, WSAGetLastError, wsaErrorName, WSAEWOULDBLOCK, WNDCLASS, RegisterClass,
  CreateWindow, DefWindowProc, GetMessage, TranslateMessage, DispatchMessage, PostMessage, PostQuitMessage, MSG,
  WM_USER, WM_DESTROY, WSAAsyncSelect, WSAGETSELECTEVENT, WSAGETSELECTERROR, FD_ACCEPT, FD_READ, FD_WRITE, FD_CLOSE,
  type HWND, type SOCKET,
} from '@winsock-models/async-select';

const BUFSIZE = 512;
const WM_SOCKET = WM_USER + 1;
const TEXTBOOK = process.argv.includes('--textbook');

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}

class SOCKETINFO {
  sock: SOCKET = INVALID_SOCKET;
  buf = Buffer.alloc(BUFSIZE + 1);
  recvbytes = 0;
  sendbytes = 0;
  recvdelayed = false;
  closing = false;  // the fix: a graceful FD_CLOSE came while data was still unread or unsent
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
  if (WSAGETSELECTERROR(lParam)) {  // always look at the error first (a reset: FD_CLOSE with WSAECONNABORTED)
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
      if (retval === 0 && ptr.closing) {  // the fix: drained to the end, now the deferred FD_CLOSE closes
        RemoveSocketInfo(wParam);
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
        if (ptr.recvdelayed || ptr.closing) {  // the fix: a closing socket reads on until recv returns 0
          ptr.recvdelayed = false;
          PostMessage(hWnd, WM_SOCKET, wParam, FD_READ);
        }
      }
      break;
    case FD_CLOSE:
      if (TEXTBOOK) {
        RemoveSocketInfo(wParam);  // the textbook line: loses unread data (a reset), on Windows too
        break;
      }
      // The fix: close only once nothing is left to read or to echo; until then, keep reading.
      ptr = GetSocketInfo(wParam);
      if (ptr !== null) {
        const unread = { value: 0 };
        ioctlsocket(ptr.sock, FIONREAD, unread);
        if (ptr.recvbytes > ptr.sendbytes || unread.value > 0) {
          ptr.closing = true;
          if (ptr.recvbytes === 0) PostMessage(hWnd, WM_SOCKET, wParam, FD_READ);
          return;
        }
      }
      RemoveSocketInfo(wParam);
      break;
  }
}

async function main(): Promise<void> {
  const port = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 9000);
  const wndclass = new WNDCLASS();
  wndclass.lpfnWndProc = WndProc;
  wndclass.lpszClassName = 'MyWndClass';
  if (!RegisterClass(wndclass)) err_quit('RegisterClass()');
  const hWnd = CreateWindow('MyWndClass', 'TCP server', 0, 0, 0, 600, 200, null, null, null, null);
  if (hWnd === 0) err_quit('CreateWindow()');

  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) err_quit('listen()');
  if (WSAAsyncSelect(listen_sock, hWnd, WM_SOCKET, FD_ACCEPT | FD_CLOSE) === SOCKET_ERROR) err_quit('WSAAsyncSelect()');
  getsockname(listen_sock, serveraddr, { value: sizeof(serveraddr) });
  console.log(`[async-select] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}` +
    (TEXTBOOK ? ' (--textbook: FD_CLOSE closes at once)' : ''));

  const msg = new MSG();
  while ((await GetMessage(msg, null, 0, 0)) > 0) {
    TranslateMessage(msg);
    DispatchMessage(msg);
  }
  WSACleanup();
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
