// The realm's APC queue: SleepEx, QueueUserAPC, GetCurrentThread. Completion routines and user APCs
// run only inside an alertable wait of the realm that queued them, in FIFO order.
import { threadId } from 'node:worker_threads';
import { native } from './binding.js';
import { holdUserApc, release } from './holds.js';

/** The pseudo-handle of the calling thread (realm), as Win32's GetCurrentThread returns. */
export const GetCurrentThread = (): number => -2;
/** The calling realm's thread id (0 on the main thread, the worker's threadId in a worker). */
export const GetCurrentThreadId = (): number => threadId;

/**
 * Sleeps without blocking the event loop. Resolves to 0 when the time passed, or to
 * WAIT_IO_COMPLETION (0xC0) after running this realm's queued completion routines and APCs (only with
 * bAlertable). Routines already queued run at once. INFINITE (0xFFFFFFFF) never times out.
 */
export function SleepEx(dwMilliseconds: number, bAlertable: boolean | number): Promise<number> {
  return native.SleepEx(dwMilliseconds, bAlertable);
}

/**
 * Queues pfnAPC(dwData) to this realm's APC queue; it runs in the realm's next alertable wait.
 * hThread is GetCurrentThread() or GetCurrentThreadId(): a function cannot cross into another realm
 * (another thread's handle gives 0 with WSA_INVALID_HANDLE). Returns non-zero on success.
 */
export function QueueUserAPC<T>(pfnAPC: (dwData: T) => void, hThread: number, dwData: T): number {
  if (typeof pfnAPC !== 'function') throw new TypeError('QueueUserAPC(pfnAPC, hThread, dwData): pfnAPC must be a function');
  const slot = holdUserApc(pfnAPC, dwData);
  let queued = 0;
  try {
    queued = native.queueUserApc(slot, hThread, threadId);
  } finally {
    if (queued === 0) release(slot);
  }
  return queued;
}
