// The core's structured trace (native/trace.h): what the core did, in Winsock's terms — FD_* recorded
// and re-enabled, messages posted, select's ready sets, overlapped requests issued and completed,
// completion routines run and the alertable wait that ran them. For tools that teach (apps/tour) and
// for debugging; off by default, and costing a load and a branch per trace point while off.
//
// The native side appends fixed-size records to a ring in an Int32Array of this realm; drain() reads
// what is new, on this thread, without a call into native code per record. Only the realm that called
// traceStart() records (a realm is a thread: a worker's calls go to the worker's own trace).
import { markAsUntransferable } from 'node:worker_threads';
import { native } from './binding.js';

/** The native half (declared here: the trace is not part of the Winsock surface in binding.ts). */
interface TraceNative {
  traceStart(capacity: number): { ring: Int32Array; control: Uint32Array };
  traceStop(): void;
  traceKinds: string[];
  traceWaits: string[];
}
const tn = native as unknown as TraceNative;

/** Words per record, and their positions (native/trace.h). */
const WORDS = 8;
const KIND = 0, TIME = 1, SOCKET = 2, A = 3, B = 4, C = 5, D = 6;  // 7: sequence number

/**
 * Record kinds, by the names native/trace.def gives them. The meaning of a, b, c, d per kind:
 * - `recorded`: a = the FD_* event recorded on `socket`, b = its error code (FD_CLOSE: 0 graceful,
 *   WSAECONNABORTED for a reset).
 * - `reenabled`: a = the FD_* events a call re-enabled on `socket` (right after that call's record).
 * - `posted`: a = lParam = WSAMAKESELECTREPLY(event, error), b = hWnd, c = wMsg (WSAAsyncSelect).
 * - `WSAEnumNetworkEvents`: a = lNetworkEvents reported for `socket`.
 * - `select`: a return with sockets ready (a timeout is not recorded): socket -1, a = select's result,
 *   b = distinct sockets asked about; one `select ready` per ready socket follows, a = its sets
 *   (1 readfds, 2 writefds, 4 exceptfds).
 * - `accept`: socket = the listener, a = the accepted socket.
 * - `recv` / `send`: a = bytes, b = error (0 or a WSA code); also the overlapped engine's own attempts
 *   for a queued WSARecv/WSASend.
 * - `closesocket`: the socket closed.
 * - `overlapped issued`: a = operation (0 WSARecv, 1 WSASend, 2 AcceptEx, 3 AcceptEx waiting for data,
 *   4 ConnectEx), b = slot, c = where its completion goes (1 its completion routine, 2 a completion
 *   port, 0 hEvent), d = AcceptEx's sAcceptSocket.
 * - `overlapped completed`: socket -1 (the slot names the request), a = error, b = bytes, c = slot,
 *   d = operation | 256 when a routine was queued | 512 when it completed inside the issuing call |
 *   1024 when its packet was queued to a completion port.
 * - `routine run`: socket -1, a = slot, b = error, c = bytes, d = the wait that ran it (`wait`).
 */
export type TraceKind = 'recorded' | 'reenabled' | 'posted' | 'WSAEnumNetworkEvents' | 'select' | 'select ready' |
  'accept' | 'recv' | 'send' | 'closesocket' | 'overlapped issued' | 'overlapped completed' | 'routine run';

export interface TraceRecord {
  kind: TraceKind;
  /** Microseconds since traceStart(). */
  time: number;
  /** The socket, or -1. */
  socket: number;
  a: number;
  b: number;
  c: number;
  d: number;
  /** `routine run` only: the alertable wait that ran it ('SleepEx', 'WSAWaitForMultipleEvents', ...). */
  wait?: string;
}

export interface TraceSession {
  /** The records written since the last drain, oldest first. */
  drain(): TraceRecord[];
  /** Records overwritten before they were drained (the ring keeps the newest). */
  readonly lost: number;
  /** Stops this realm's trace; records already written can still be drained. */
  stop(): void;
}

/** The kind names, by number, as the native list gives them. */
export const traceKinds: readonly string[] = tn.traceKinds;

/**
 * Starts this realm's trace with a ring of at least `capacity` records (32 bytes each; at least 1,024,
 * at most 1,048,576). A second start replaces the first session's ring.
 */
let current: object | null = null;  // the live session of this realm

export function traceStart(capacity = 65536): TraceSession {
  if (!Number.isInteger(capacity) || capacity < 0) throw new TypeError('traceStart(capacity): capacity must be a non-negative integer');
  const { ring, control } = tn.traceStart(capacity);
  // Native code writes into this memory until traceStop: it must never move to another thread.
  markAsUntransferable(ring.buffer);
  markAsUntransferable(control.buffer);
  const size = control[1]!;
  let read = 0;  // records drained (mod 2^32, as control[0])
  let lost = 0;
  const session: TraceSession = {
    get lost() { return lost; },
    drain(): TraceRecord[] {
      const written = control[0]!;
      let pending = (written - read) >>> 0;
      if (pending > size) {
        lost += pending - size;
        read = (written - size) >>> 0;
        pending = size;
      }
      const out: TraceRecord[] = new Array(pending);
      for (let i = 0; i < pending; i++) {
        const at = ((read + i) % size) * WORDS;
        const kind = traceKinds[ring[at + KIND]!] as TraceKind;
        const r: TraceRecord = { kind, time: ring[at + TIME]! >>> 0, socket: ring[at + SOCKET]!,
          a: ring[at + A]!, b: ring[at + B]!, c: ring[at + C]!, d: ring[at + D]! };
        if (kind === 'routine run') r.wait = tn.traceWaits[r.d] ?? 'unknown';
        out[i] = r;
      }
      read = written;
      return out;
    },
    stop(): void {
      if (current !== session) return;  // stopped already, or replaced by a later start
      current = null;
      tn.traceStop();
    },
  };
  current = session;
  return session;
}
