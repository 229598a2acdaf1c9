// The window-message world of one realm (the main thread or one worker: Win32's "thread"). Kept on
// globalThis under a registered symbol, so the ESM and CommonJS builds loaded into one realm share
// one queue, as one Win32 thread has one.
import { threadId } from 'node:worker_threads';
import type { WNDCLASS, WNDPROC } from './window-class.js';

export interface QueuedMessage {
  hwnd: number;
  message: number;
  wParam: number;
  lParam: number;
  time: number;
}

export interface WindowRecord {
  hwnd: number;
  wndClass: WNDCLASS;
  wndProc: WNDPROC;
  title: string;
  destroying: boolean;
}

export interface MessageWaiter {
  hWnd: number;
  min: number;
  max: number;
  deliver(m: QueuedMessage): void;
}

export class MessageRealm {
  readonly classes = new Map<string, { atom: number; wndClass: WNDCLASS }>();
  readonly windows = new Map<number, WindowRecord>();
  /** Posted messages in post order; `head` is the first live one (dequeue without shifting). */
  queue: Array<QueuedMessage | null> = [];
  head = 0;
  /** PostQuitMessage's exit code, until WM_QUIT is retrieved; null when no quit is pending. */
  quitCode: number | null = null;
  readonly waiters: MessageWaiter[] = [];
  nextAtom = 0xc000;
  // HWNDs are unique across realms (each realm numbers from its own base), so a handle from another
  // thread is never mistaken for one of ours.
  nextHwnd = 0x10000 + threadId * 0x100000;
  // One timer for the realm's lifetime, referenced only while a GetMessage waits: a message loop parks
  // and wakes once per batch of messages, and toggling a reference is cheaper than a new timer each time.
  private keepAlive: NodeJS.Timeout | null = null;
  private holding = false;

  /** A pending GetMessage holds the event loop open, as a pending read does in `net`. */
  updateKeepAlive(): void {
    const want = this.waiters.length > 0;
    if (want === this.holding) return;
    this.holding = want;
    if (want) (this.keepAlive ??= setInterval(() => {}, 0x7fffffff)).ref();
    else this.keepAlive?.unref();
  }

  compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

const KEY = Symbol.for('@winsock-models/async-select.realm');

export function realm(): MessageRealm {
  const g = globalThis as unknown as Record<symbol, MessageRealm | undefined>;
  return (g[KEY] ??= new MessageRealm());
}

/** GetTickCount: milliseconds since an arbitrary start, wrapping at 2^32. */
export function tickCount(): number {
  return Math.floor(performance.now()) >>> 0;
}
