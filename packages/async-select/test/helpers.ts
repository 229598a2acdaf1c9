// What the WSAAsyncSelect tests add to the shared fixtures (@winsock-models/testing): one window whose
// messages are read with GetMessage, bounded waits (a wait ends with a sentinel message it posts itself),
// and workers with windows of their own.
export { startup, check, listener, dial, pair, udpPair, closeAll } from '@winsock-models/testing';
import {
  WM_USER, MSG, GetMessage, PostMessage, PeekMessage, PM_REMOVE, WSAGETSELECTEVENT, WSAGETSELECTERROR,
  type SOCKET,
} from '../src/index.js';
import { makeWindow } from './window.js';
import type { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

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

/** Every message already queued for hWnd, taken without waiting. */
export function drain(hWnd: number): SocketMessage[] {
  const out: SocketMessage[] = [];
  const msg = new MSG();
  for (let i = 0; i < 10_000 && PeekMessage(msg, hWnd, 0, 0, PM_REMOVE); i++)
    if (msg.message !== WM_TIMEOUT) out.push(decode(msg));
  return out;
}

// ---- workers: other Win32 "threads" ----------------------------------------------------------------

/** The built package (turbo builds before testing), for workers to load. */
const builtPackage = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

/** A worker's source preamble: the built package as `as`, and `parentPort`, `workerData`. */
export const workerPreamble = `const as = require(${JSON.stringify(builtPackage)});
  const { parentPort, workerData } = require('node:worker_threads');`;

/** The preamble, then a window of the worker's own (class `className`) in `hWnd`. */
export function workerWithWindow(className: string): string {
  return `${workerPreamble}
  const wc = new as.WNDCLASS();
  wc.lpszClassName = ${JSON.stringify(className)};
  wc.lpfnWndProc = as.DefWindowProc;
  as.RegisterClass(wc);
  const hWnd = as.CreateWindow(${JSON.stringify(className)}, 'w', 0, 0, 0, 0, 0, null, null, null, null);`;
}

/** The worker's next message (rejects if the worker fails first). */
export function reply<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
}
