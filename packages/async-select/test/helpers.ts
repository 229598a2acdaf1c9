// Loopback fixtures for the WSAAsyncSelect tests: real sockets on 127.0.0.1, one window whose messages
// are read with GetMessage, and bounded waits (a wait ends with a sentinel message it posts itself).
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, accept, connect, getsockname, closesocket, inet_pton, sizeof,
  SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, WSAGetLastError, WM_USER, MSG, GetMessage,
  PostMessage, PeekMessage, PM_REMOVE, WSAGETSELECTEVENT, WSAGETSELECTERROR, type SOCKET,
} from '../src/index.js';
import { makeWindow } from './window.js';

export const WM_SOCKET = WM_USER + 1;
const WM_TIMEOUT = WM_USER + 0x7f;

export function startup(): void {
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) throw new Error('WSAStartup failed');
}

export function check(result: number, what: string): number {
  if (result === SOCKET_ERROR || result === INVALID_SOCKET) throw new Error(`${what} failed: ${WSAGetLastError()}`);
  return result;
}

/** A listening TCP socket on 127.0.0.1 with a free port; addr is where to connect. */
export function listener(): { ls: SOCKET; addr: SOCKADDR_IN } {
  const ls = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  check(bind(ls, addr, sizeof(addr)), 'bind');
  check(listen(ls, 16), 'listen');
  check(getsockname(ls, addr, { value: sizeof(addr) }), 'getsockname');
  return { ls, addr };
}

/** A blocking client connected to the listener (the connection waits in its backlog). */
export function dial(addr: SOCKADDR_IN): SOCKET {
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(connect(s, addr, sizeof(addr)), 'connect');
  return s;
}

/** A connected pair: client and server (the accepted socket), both blocking, plus the listener. */
export function pair(): { ls: SOCKET; client: SOCKET; server: SOCKET; addr: SOCKADDR_IN } {
  const { ls, addr } = listener();
  const client = dial(addr);
  const server = check(accept(ls, null, null), 'accept');
  return { ls, client, server, addr };
}

export function closeAll(...sockets: SOCKET[]): void {
  for (const s of sockets) closesocket(s);
}

/** One WSAAsyncSelect message, decoded. */
export interface SocketMessage {
  message: number;
  socket: SOCKET;
  event: number;
  error: number;
  lParam: number;
}

function decode(msg: MSG): SocketMessage {
  return {
    message: msg.message, socket: msg.wParam, event: WSAGETSELECTEVENT(msg.lParam),
    error: WSAGETSELECTERROR(msg.lParam), lParam: msg.lParam,
  };
}

let sentinel = 0;

/** A window for the test's messages. */
export function socketWindow(): number {
  return makeWindow().hWnd;
}

/**
 * The next message for hWnd, waiting at most ms: GetMessage, ended on timeout by a sentinel message
 * this call posts itself (so no GetMessage is left waiting). null when nothing came.
 */
export async function nextMessage(hWnd: number, ms = 5000): Promise<SocketMessage | null> {
  const id = ++sentinel;
  const timer = setTimeout(() => PostMessage(hWnd, WM_TIMEOUT, id, 0), ms);
  const msg = new MSG();
  try {
    for (;;) {
      if ((await GetMessage(msg, hWnd, 0, 0)) <= 0) throw new Error('GetMessage ended');
      if (msg.message !== WM_TIMEOUT) return decode(msg);
      if (msg.wParam === id) return null;  // an older wait's sentinel is skipped
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The next message, which must come within ms. */
export async function expectMessage(hWnd: number, ms = 5000): Promise<SocketMessage> {
  const m = await nextMessage(hWnd, ms);
  if (!m) throw new Error(`no message for window ${hWnd} within ${ms} ms`);
  return m;
}

/** True when no message (other than a stale sentinel) arrives for hWnd within ms. */
export async function quiet(hWnd: number, ms = 150): Promise<boolean> {
  return (await nextMessage(hWnd, ms)) === null;
}

/** Every message already queued for hWnd, taken without waiting. */
export function drain(hWnd: number): SocketMessage[] {
  const out: SocketMessage[] = [];
  const msg = new MSG();
  for (let i = 0; i < 10_000 && PeekMessage(msg, hWnd, 0, 0, PM_REMOVE); i++)
    if (msg.message !== WM_TIMEOUT) out.push(decode(msg));
  return out;
}
