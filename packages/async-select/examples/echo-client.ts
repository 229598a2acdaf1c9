// The WSAAsyncSelect model's TCP client: connect on a socket registered for FD_CONNECT | FD_READ |
// FD_WRITE | FD_CLOSE. The connect returns WSAEWOULDBLOCK at once; FD_CONNECT then arrives with the
// result in WSAGETSELECTERROR (WSAECONNREFUSED when nothing listens), FD_WRITE says sending may begin,
// FD_READ brings the echo, and FD_CLOSE the server's close after our shutdown(SD_SEND).
// Run: pnpm example async-select echo-client [port] [host] [message]   (127.0.0.1:9000 "hello")
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, connect, send, recv, shutdown, closesocket, SOCKADDR_IN,
  AF_INET, SOCK_STREAM, SD_SEND, htons, inet_pton, sizeof, SOCKET_ERROR, INVALID_SOCKET, WSAGetLastError,
  wsaErrorName, WSAEWOULDBLOCK, WNDCLASS, RegisterClass, CreateWindow, DestroyWindow, DefWindowProc, GetMessage,
  TranslateMessage, DispatchMessage, PostQuitMessage, MSG, WM_USER, WM_DESTROY, WSAAsyncSelect, WSAGETSELECTEVENT,
  WSAGETSELECTERROR, FD_CONNECT, FD_READ, FD_WRITE, FD_CLOSE, type HWND,
} from '@winsock-models/async-select';

const WM_SOCKET = WM_USER + 1;
const port = Number(process.argv[2] ?? 9000);
const host = process.argv[3] ?? '127.0.0.1';
const message = Buffer.from(process.argv[4] ?? 'hello');
const echoed = Buffer.alloc(message.length);
let received = 0;
let sent = false;
let exitCode = 1;

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

function WndProc(hWnd: HWND, uMsg: number, wParam: number, lParam: number): number {
  if (uMsg === WM_DESTROY) { PostQuitMessage(0); return 0; }
  if (uMsg !== WM_SOCKET) return DefWindowProc(hWnd, uMsg, wParam, lParam);
  const error = WSAGETSELECTERROR(lParam);
  switch (WSAGETSELECTEVENT(lParam)) {
    case FD_CONNECT:
      if (error) {
        console.error(`[async-select] connect to ${host}:${port} failed (FD_CONNECT): ${errText(error)}`);
        DestroyWindow(hWnd);
        break;
      }
      console.log(`[async-select] connected to ${host}:${port} (FD_CONNECT)`);
      break;
    case FD_WRITE:  // once after the connect; again only after a send failed with WSAEWOULDBLOCK
      if (sent) break;
      if (send(wParam, message, message.length, 0) === SOCKET_ERROR) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) { console.error(`send() failed: ${errText(WSAGetLastError())}`); DestroyWindow(hWnd); }
        break;  // WSAEWOULDBLOCK: another FD_WRITE comes when there is room
      }
      sent = true;
      shutdown(wParam, SD_SEND);
      break;
    case FD_READ: {
      const r = recv(wParam, echoed.subarray(received), echoed.length - received, 0);
      if (r > 0) received += r;
      break;
    }
    case FD_CLOSE:  // the server closed after echoing everything (or, with an error, reset)
      if (error) console.error(`[async-select] FD_CLOSE: ${errText(error)}`);
      console.log(`[async-select] echoed ${received} of ${message.length} bytes: ${echoed.subarray(0, received).toString()}`);
      if (received === message.length) exitCode = 0;
      DestroyWindow(hWnd);
      break;
  }
  return 0;
}

async function main(): Promise<void> {
  const wndclass = new WNDCLASS();
  wndclass.lpfnWndProc = WndProc;
  wndclass.lpszClassName = 'ClientWndClass';
  if (!RegisterClass(wndclass)) err_quit('RegisterClass()');
  const hWnd = CreateWindow('ClientWndClass', 'TCP client', 0, 0, 0, 600, 200, null, null, null, null);
  if (hWnd === 0) err_quit('CreateWindow()');

  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  // Register first: the socket becomes non-blocking, so connect returns WSAEWOULDBLOCK and FD_CONNECT
  // reports how it ended.
  if (WSAAsyncSelect(sock, hWnd, WM_SOCKET, FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE) === SOCKET_ERROR) err_quit('WSAAsyncSelect()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, serveraddr.sin_addr) !== 1) { console.error(`not an IPv4 address: ${host}`); process.exit(2); }
  serveraddr.sin_port = htons(port);
  if (connect(sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR && WSAGetLastError() !== WSAEWOULDBLOCK) err_quit('connect()');

  const msg = new MSG();
  while ((await GetMessage(msg, null, 0, 0)) > 0) {
    TranslateMessage(msg);
    DispatchMessage(msg);
  }
  closesocket(sock);
  WSACleanup();
  process.exit(exitCode);
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
