// Loopback fixtures for the WSAAsyncSelect tests: real sockets on 127.0.0.1, one window whose messages
// are read with GetMessage, and bounded waits (a wait ends with a sentinel message it posts itself).
import { check } from '@winsock-models/testing';
export { startup, check, listener, dial, pair, closeAll } from '@winsock-models/testing';
import {
  socket, WM_USER, MSG, GetMessage, PostMessage, PeekMessage, PM_REMOVE, WSAGETSELECTEVENT, WSAGETSELECTERROR,
  type SOCKET,
} from '../src/index.js';
import { makeWindow } from './window.js';

export const WM_SOCKET = WM_USER + 1;
const WM_TIMEOUT = WM_USER + 0x7f;

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
