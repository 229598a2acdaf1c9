// Counts the Winsock calls the model servers make, by wrapping the native core's exports before any
// package loads it. Every call a model package makes into the addon goes through that one exports
// object (the packages are thin faces over it), so wrapping it counts exactly the calls that cross
// into Winsock-on-Linux. Calls that never leave TypeScript (FD_SET/FD_ISSET, WSANETWORKEVENTS reads,
// the async-select window-message loop) are not counted: they are data-structure work, not calls
// into the socket layer. Must run before anything imports @winsock-models/*.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Internal helper names of the addon mapped to the Winsock call that makes them; null: not a call. */
const ALIASES: Record<string, string | null> = {
  overlappedSend: 'WSASend',        // WSASend/WSASendTo with an lpOverlapped
  overlappedSendOne: 'WSASend',     // the same with one WSABUF
  overlappedRecv: 'WSARecv',        // WSARecv/WSARecvFrom with an lpOverlapped
  overlappedRecvOne: 'WSARecv',     // the same with one WSABUF
  queueUserApc: 'QueueUserAPC',
  setApcRunner: null,               // wrapped below: its runs are the completion routines
  setOverlappedRetirer: null,
  isSocket: 'WSAGetOverlappedResult', // the first (and often only) native step of WSAGetOverlappedResult
  overlappedWait: null,             // the fWait=TRUE half of the same WSAGetOverlappedResult
  errorTable: null, errnoTable: null, translateErrno: null, constantTable: null,
  traceStart: null, traceStop: null,  // the core's trace (the tour's own instrument), not Winsock calls
};

export interface CallCounter {
  /** Counts per Winsock name since the last reset. */
  snapshot(): Record<string, number>;
  /** Calls that returned SOCKET_ERROR (-1), per "name WSAEcode-number", since the last reset. */
  failures(): Record<string, number>;
  /** Alertable waits that ended with WAIT_IO_COMPLETION, and completion routines run, since the last reset. */
  alertable(): Record<string, number>;
  reset(): void;
}

export function installCallCounter(): CallCounter | null {
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    // The core's entry is dist/index.*; its addon is ../build/Release next to it.
    file = join(dirname(require.resolve('@winsock-models/core')), '..', 'build', 'Release', 'winsock_core.node');
    require(file);
  } catch {
    return null;  // the core loads it (or reports why not) when the servers import it
  }
  const mod = require.cache[file];
  if (!mod) return null;
  const original = mod.exports as Record<string, unknown>;
  const counts = new Map<string, number>();
  const failed = new Map<string, number>();
  const lastError = original.lastError as Int32Array | undefined;
  const alertable = new Map<string, number>();
  const note = (k: string) => alertable.set(k, (alertable.get(k) ?? 0) + 1);
  const WAIT_IO_COMPLETION = 0xc0;  // = WSA_WAIT_IO_COMPLETION
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(original)) {
    const value = original[key];
    const name = Object.hasOwn(ALIASES, key) ? ALIASES[key]! : key;
    if (key === 'setApcRunner') {
      // The core's APC runner runs the queued completion routines (and QueueUserAPC functions, which
      // the servers do not use) in batches: count what each batch ran.
      const set = value as (run: (limit: number) => number) => void;
      wrapped[key] = (run: (limit: number) => number) => set((limit) => {
        const ran = run(limit);
        if (ran > 0) alertable.set('completion routines run', (alertable.get('completion routines run') ?? 0) + ran);
        return ran;
      });
      continue;
    }
    if (typeof value !== 'function' || name === null) { wrapped[key] = value; continue; }
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[key] = function counted(this: unknown, ...args: unknown[]) {
      counts.set(name!, (counts.get(name!) ?? 0) + 1);
      const result = fn.apply(this, args);
      if (name === 'SleepEx' || name === 'WSAWaitForMultipleEvents') {
        const seen = (v: unknown) => { if (v === WAIT_IO_COMPLETION) note(`${name} returned WAIT_IO_COMPLETION`); };
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(seen, () => {});
        else seen(result);
      }
      // SOCKET_ERROR / INVALID_SOCKET: note which Winsock error it set (WSAEWOULDBLOCK, WSA_IO_PENDING...).
      if (lastError && (result === -1 || (result === 0 && (name === 'AcceptEx' || name === 'ConnectEx')))) {
        const k = `${name} ${lastError[0]}`;
        failed.set(k, (failed.get(k) ?? 0) + 1);
      }
      return result;
    };
  }
  // The next require() of the addon — the core's own — returns the counting object.
  mod.exports = wrapped;
  return {
    snapshot: () => Object.fromEntries(counts),
    failures: () => Object.fromEntries(failed),
    alertable: () => Object.fromEntries(alertable),
    reset: () => { counts.clear(); failed.clear(); alertable.clear(); },
  };
}
