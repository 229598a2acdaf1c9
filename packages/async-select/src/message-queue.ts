// The realm's message queue: PostMessage, PostQuitMessage, GetMessage, PeekMessage, DispatchMessage.
// Invariants: posted messages are retrieved in post order among those a filter matches; WM_QUIT is
// synthesised only when no matching posted message is left (PostQuitMessage sets a flag, as in Win32),
// and only for a filter that admits thread messages (hWnd null or -1: GetMessage(hwnd) never sees it).
import { ERROR_INVALID_WINDOW_HANDLE, PM_REMOVE, WM_QUIT, WSASetLastError } from '@winsock-models/core';
import { native } from '@winsock-models/core/internal';
import { realm, tickCount, type MessageRealm, type QueuedMessage } from './realm.js';
import { lookupWindow, type HWND } from './windows.js';

export class POINT {
  x = 0;
  y = 0;
}

/** `MSG`: filled by GetMessage and PeekMessage. */
export class MSG {
  hwnd: HWND = 0;
  message = 0;
  wParam = 0;
  lParam = 0;
  time = 0;
  pt = new POINT();
}

function fill(lpMsg: MSG, m: QueuedMessage): void {
  lpMsg.hwnd = m.hwnd;
  lpMsg.message = m.message;
  lpMsg.wParam = m.wParam;
  lpMsg.lParam = m.lParam;
  lpMsg.time = m.time;
}

function matches(m: QueuedMessage, hWnd: number, min: number, max: number): boolean {
  if (hWnd === -1 ? m.hwnd !== 0 : hWnd !== 0 && m.hwnd !== hWnd) return false;
  return (min === 0 && max === 0) || (m.message >= min && m.message <= max);
}

// Finds (and with `remove`, takes) the first message the filter admits; WM_QUIT when none is left.
function take(r: MessageRealm, hWnd: number, min: number, max: number, remove: boolean): QueuedMessage | null {
  for (let i = r.head; i < r.queue.length; i++) {
    const m = r.queue[i];
    if (!m || !matches(m, hWnd, min, max)) continue;
    if (remove) {
      r.queue[i] = null;
      while (r.head < r.queue.length && r.queue[r.head] === null) r.head++;
      r.compact();
    }
    return m;
  }
  if (r.quitCode !== null && (hWnd === 0 || hWnd === -1)) {
    const quit = { hwnd: 0, message: WM_QUIT, wParam: r.quitCode, lParam: 0, time: tickCount() };
    if (remove) r.quitCode = null;
    return quit;
  }
  return null;
}

// Hands newly posted messages to waiting GetMessage calls, oldest waiter first.
function serveWaiters(r: MessageRealm): void {
  for (let i = 0; i < r.waiters.length;) {
    const w = r.waiters[i]!;
    const m = take(r, w.hWnd, w.min, w.max, true);
    if (!m) { i++; continue; }
    r.waiters.splice(i, 1);
    w.deliver(m);
  }
  r.updateKeepAlive();
}

function validFilter(hWnd: HWND | null): number | null {
  const h = hWnd ?? 0;
  if (h === 0 || h === -1) return h;
  return lookupWindow(h) ? h : null;
}

/**
 * Queues a message for hWnd (null: a thread message of this thread). A window of another thread (a
 * worker) gets it in its own thread's queue, after every message this thread posted it before. TRUE,
 * or FALSE with ERROR_INVALID_WINDOW_HANDLE.
 */
export function PostMessage(hWnd: HWND | null, Msg: number, wParam: number, lParam: number): number {
  const r = realm();
  const h = hWnd ?? 0;
  if (h !== 0 && !r.windows.has(h)) {
    if (typeof h === 'number' && native.postWindowMessage(h, Msg >>> 0, Number(wParam), Number(lParam)) === 1) return 1;
    WSASetLastError(ERROR_INVALID_WINDOW_HANDLE);
    return 0;
  }
  r.queue.push({ hwnd: h, message: Msg >>> 0, wParam: Number(wParam), lParam: Number(lParam), time: tickCount() });
  if (r.waiters.length) serveWaiters(r);
  return 1;
}

/**
 * Core's message poster for this realm (WSAAsyncSelect's notifications): `count` messages as
 * [hwnd, message, wParam, lParam] in `batch`, in posting order. Read before returning: core reuses the
 * array. A message for a window that is gone is dropped, as PostMessage to it would fail.
 */
export function postBatch(batch: Float64Array, count: number): void {
  const r = realm();
  const time = tickCount();
  for (let i = 0, k = 0; i < count; i++, k += 4) {
    const hwnd = batch[k]!;
    if (!r.windows.has(hwnd)) continue;
    r.queue.push({ hwnd, message: batch[k + 1]!, wParam: batch[k + 2]!, lParam: batch[k + 3]!, time });
  }
  if (r.waiters.length) serveWaiters(r);
}

/** Asks the message loop to end: GetMessage returns 0 (WM_QUIT, wParam = nExitCode) once the queue is empty. */
export function PostQuitMessage(nExitCode: number): void {
  const r = realm();
  r.quitCode = nExitCode | 0;
  if (r.waiters.length) serveWaiters(r);
}

// A message loop calls GetMessage once per message; when one is queued the answer is known at once.
// A settled promise never changes, so the same two serve every such call.
const RESOLVED_1 = Promise.resolve(1);
const RESOLVED_0 = Promise.resolve(0);
const RESOLVED_BAD = Promise.resolve(-1);

/**
 * Waits for a message the filter admits and fills lpMsg. Resolves to a positive number for a message,
 * 0 for WM_QUIT, -1 for a bad hWnd (ERROR_INVALID_WINDOW_HANDLE). hWnd null: every message of this
 * thread; -1: thread messages only; a window: that window's. wMsgFilterMin/Max 0/0: every message.
 */
export function GetMessage(lpMsg: MSG, hWnd: HWND | null, wMsgFilterMin: number, wMsgFilterMax: number): Promise<number> {
  if (lpMsg === null || typeof lpMsg !== 'object') throw new TypeError('GetMessage(lpMsg, hWnd, wMsgFilterMin, wMsgFilterMax): lpMsg must be a MSG');
  const h = validFilter(hWnd);
  if (h === null) return RESOLVED_BAD;
  const r = realm();
  const min = wMsgFilterMin >>> 0, max = wMsgFilterMax >>> 0;
  const m = take(r, h, min, max, true);
  if (m) {
    fill(lpMsg, m);
    return m.message === WM_QUIT ? RESOLVED_0 : RESOLVED_1;
  }
  return new Promise((resolve) => {
    r.waiters.push({ hWnd: h, min, max, deliver: (got) => { fill(lpMsg, got); resolve(got.message === WM_QUIT ? 0 : 1); } });
    r.updateKeepAlive();
  });
}

/**
 * Looks for a message without waiting; PM_REMOVE takes it. TRUE (1) when lpMsg was filled, FALSE (0)
 * when nothing matched. Not a Promise: it never waits.
 */
export function PeekMessage(lpMsg: MSG, hWnd: HWND | null, wMsgFilterMin: number, wMsgFilterMax: number,
  wRemoveMsg: number): number {
  if (lpMsg === null || typeof lpMsg !== 'object') throw new TypeError('PeekMessage(lpMsg, ...): lpMsg must be a MSG');
  const h = validFilter(hWnd);
  if (h === null) return 0;
  const m = take(realm(), h, wMsgFilterMin >>> 0, wMsgFilterMax >>> 0, (wRemoveMsg & PM_REMOVE) !== 0);
  if (!m) return 0;
  fill(lpMsg, m);
  return 1;
}

/** Translates virtual-key messages into characters; this world has no keyboard, so it returns 0. */
export function TranslateMessage(_lpMsg: MSG): number {
  return 0;
}

/** Calls the window procedure of lpMsg.hwnd with the message and returns its result (0: no window). */
export function DispatchMessage(lpMsg: MSG): number {
  if (lpMsg === null || typeof lpMsg !== 'object') throw new TypeError('DispatchMessage(lpMsg): lpMsg must be a MSG');
  const w = lookupWindow(lpMsg.hwnd, false);
  if (!w) return 0;
  const r = w.wndProc(lpMsg.hwnd, lpMsg.message, lpMsg.wParam, lpMsg.lParam);
  return typeof r === 'number' ? r : 0;
}

/**
 * A Node convenience on top of GetMessage: `for await (const msg of messages()) DispatchMessage(msg)`.
 * Ends at WM_QUIT; throws WinsockError-style Error for a bad hWnd.
 */
export async function* messages(hWnd: HWND | null = null): AsyncGenerator<MSG> {
  for (;;) {
    const msg = new MSG();
    const r = await GetMessage(msg, hWnd, 0, 0);
    if (r === 0) return;
    if (r === -1) throw new Error(`messages(): ${hWnd} is not a window of this thread`);
    yield msg;
  }
}
