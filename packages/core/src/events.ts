// Event objects and WSAWaitForMultipleEvents. Handles are process-wide (any worker may set or wait on
// an event it was given); a wait belongs to the realm that makes it and never blocks its event loop.
import { native } from './binding.js';
import { EVENT_WORD_CLOSES, EVENT_WORD_OPEN } from './layout.generated.js';

/** An event object handle: a non-zero number. `WSA_INVALID_EVENT` (0) is none. */
export type WSAEVENT = number;

/** Creates a manual-reset, non-signalled event. Returns its handle, or WSA_INVALID_EVENT (0). */
export const WSACreateEvent: () => WSAEVENT = native.WSACreateEvent;
/** Closes the handle: true, or false with WSA_INVALID_HANDLE. Waits already parked on it go on. */
export const WSACloseEvent: (hEvent: WSAEVENT) => boolean = native.WSACloseEvent;
/** Signals the event (it stays signalled until reset): true, or false with WSA_INVALID_HANDLE. */
export const WSASetEvent: (hEvent: WSAEVENT) => boolean = native.WSASetEvent;
// The events' state, shared with native code and every other realm (events.cc, "the state shared with
// JavaScript"): word 0 a sequence number, word (handle >> 8) the state of that handle's slot while open,
// OPEN | generation << 8 | signalled, and word EVENT_WORD_CLOSES the number of closes. It lets a reset,
// and a wait whose answer is already known, be answered here without a call into native code; anything
// else (a closed or unknown handle, an event past the shared slots, a wait that must park, a state that
// changed under the look) calls in as before.
const states: Int32Array = native.eventStates();
const OPEN_WORD = EVENT_WORD_OPEN;  // an open event's word, but for its generation and signalled bit
const OPEN_BITS = OPEN_WORD >>> 8;  // (word >>> 8) of an open event: OPEN_BITS | generation

/**
 * The index of handle h's state word, or 0 when it has none (then native code answers). A handle is a
 * positive int32: h >>> 8 its word, h & 0xff its generation; word 0 is no event's, and the words end
 * before EVENT_WORD_CLOSES. Every wait looks up each of its handles here: kept to a few compares.
 */
function stateIndex(h: unknown): number {
  return typeof h !== 'number' || (h | 0) !== h || h < 0x100 || h >>> 8 >= EVENT_WORD_CLOSES ? 0 : h >>> 8;
}

/**
 * Un-signals the event: true, or false with WSA_INVALID_HANDLE. An open event's signalled bit is
 * cleared here, atomically (another thread may set or close it meanwhile: then native code decides).
 */
export function WSAResetEvent(hEvent: WSAEVENT): boolean {
  const i = stateIndex(hEvent);
  if (i !== 0) {
    const w = states[i]!;  // a plain read (see lowestSignalled): the compare-and-swap decides
    if (w >>> 8 === (OPEN_BITS | (hEvent & 0xff)) &&
        ((w & 1) === 0 || Atomics.compareExchange(states, i, w, w & ~1) === w)) return true;
  }
  return native.WSAResetEvent(hEvent);
}

// A plain array of handles is copied into one reusable Float64Array, so native code reads plain memory
// instead of 64 element lookups; views of every length are made once. The copy is used and dropped
// within the call (native code copies what it keeps), so one scratch serves every call of this realm.
const scratch = new Float64Array(64);
const views: Float64Array[] = Array.from({ length: 65 }, (_, n) => scratch.subarray(0, n));

// Each array of 8 or more handles a wait is given gets a list id, under which native code keeps what
// it resolved the array's handles to (events.cc, ResolvedList): loops waiting over different arrays by
// turns, as servers with one loop per 63 sockets do, each find their own resolution again. Shorter
// arrays, often literals made for one call (`[hEvent]`), share id 0 with waits given a typed array
// (which go to native code as they are): resolving a few handles costs less than remembering a new
// array in the WeakMap.
const listIds = new WeakMap<object, number>();
let nextListId = 1;
function listIdOf(list: object): number {
  let id = listIds.get(list);
  if (id === undefined) {
    id = nextListId;
    nextListId = nextListId === 0xFFFFFFFF ? 1 : nextListId + 1;
    listIds.set(list, id);
  }
  return id;
}

// A wait decided here resolves with WSA_WAIT_EVENT_0 (0) + i; the settled promises are made once.
const resolvedIndexes: Promise<number>[] = Array.from({ length: 64 }, (_, i) => Promise.resolve(i));
const resolvedIndex = (i: number): Promise<number> => resolvedIndexes[i]!;

// Native code answers a wait decided at once with the number itself; the caller always gets a promise.
const settled = (r: number | Promise<number>): Promise<number> => (typeof r === 'number' ? Promise.resolve(r) : r);

/**
 * `WSAWaitForMultipleEvents(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable)`: resolves with
 * `WSA_WAIT_EVENT_0 + i` (i the lowest signalled index; with fWaitAll, once all are signalled),
 * `WSA_WAIT_TIMEOUT` after dwTimeout ms (0: check and return; `WSA_INFINITE`: never), or
 * `WSA_WAIT_FAILED` with the last error set (`WSA_INVALID_PARAMETER` for cEvents 0 or over 64,
 * `WSA_INVALID_HANDLE` for a closed or unknown handle). Events are not reset by the wait.
 * fAlertable: see the completion-routine model; with no APC queued it waits as a non-alertable wait.
 */
export function WSAWaitForMultipleEvents(cEvents: number, lphEvents: ArrayLike<WSAEVENT> | null,
  fWaitAll: boolean | number, dwTimeout: number, fAlertable: boolean | number): Promise<number> {
  if (Array.isArray(lphEvents) && typeof cEvents === 'number') {
    const n = Math.min(lphEvents.length, 64, cEvents >>> 0);
    // Decided here when it is a wait for any one of open events of which one is signalled: the answer
    // native code would give (the lowest such index), and every argument is one it would accept.
    if (n > 0 && n === cEvents >>> 0 && (fWaitAll === false || fWaitAll === 0) &&
        typeof dwTimeout === 'number' && (typeof fAlertable === 'boolean' || typeof fAlertable === 'number')) {
      const first = lowestSignalled(states, lphEvents, n);
      if (first >= 0) return resolvedIndex(first);
    }
    for (let i = 0; i < n; i++) {
      const h: unknown = lphEvents[i];
      scratch[i] = typeof h === 'number' ? h : NaN;  // not a number: names no event
    }
    return settled(native.WSAWaitForMultipleEvents(cEvents, views[n]!, fWaitAll, dwTimeout, fAlertable,
      n < 8 ? 0 : listIdOf(lphEvents)));
  }
  return settled(native.WSAWaitForMultipleEvents(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable));
}

/**
 * The lowest index among handles[0..n) of a signalled event, when every one of them is an open event
 * with a shared state word; -1 when they all are and none is signalled; -2 when this cannot say (one
 * is not, or the state changed by more than resets during the look). Below 0, native code decides.
 * This is the cost of every wait a textbook server makes over its 64 events, twice per message.
 */
function lowestSignalled(words: Int32Array, handles: readonly unknown[], n: number): number {
  const seq = Atomics.load(words, 0);
  // Read after the sequence number, which a close bumps after this word (events.cc): a close this
  // read misses moves the sequence number before the second read of it below.
  const closes = words[EVENT_WORD_CLOSES]!;
  let known = lastKnown;
  if (handles !== lastList) {
    known = vouched.get(handles);
    lastList = handles;
    lastKnown = known;
  }
  if (known !== undefined && known.closes === closes && known.n === n) {
    // All open when vouched for, and no event closed since: while the list holds the same handles,
    // only the signalled bits are left to read, up to the first signalled one, and every handle to
    // compare with the one vouched for.
    const first = scanVouched(words, handles, known.copy, n);
    if (first !== -3) return Atomics.load(words, 0) === seq ? first : -2;
  }
  let first = -1;
  for (let i = 0; i < n; i++) {
    const h = handles[i];
    const k = stateIndex(h);
    if (k === 0) return -2;
    // A plain read: Atomics.load on this (non-shared, external) memory is a runtime call, ~24 ns,
    // which over 64 handles cost more than the call into native code it saves. The sequence
    // number's two reads stay atomic: they must not be folded into one.
    const w = words[k]!;
    if ((w & ~0xff) !== (OPEN_WORD | ((h as number) & 0xff) << 8)) return -2;  // closed, or another generation's
    if (first < 0 && (w & 1) !== 0) first = i;
  }
  // Only resets can have happened during the scan when the sequence number did not move (events.cc).
  if (Atomics.load(words, 0) !== seq) return -2;
  vouch(handles, n, closes);
  return first;
}

// Lists whose handles were all found open, with the closes word of that look: while the list holds the
// same handles and no event has closed, they are all still open (a handle's generation changes only by
// a close), so a wait over the list needs one compare per handle and reads state words only up to the
// block of 8 holding the first signalled one. A textbook server waits over the same array of 64 events
// twice per message.
interface Vouched { copy: number[]; n: number; closes: number }
const vouched = new WeakMap<object, Vouched>();
// The list looked up last, found again without a WeakMap lookup: a server waits over the same array
// call after call. Holds one array alive at most (the last one waited over).
let lastList: object | null = null;
let lastKnown: Vouched | undefined;

function vouch(handles: readonly unknown[], n: number, closes: number): void {
  let known = vouched.get(handles);
  // A plain array of small integers, not an Int32Array: V8 compares two such arrays' elements with
  // fewer checks (no typed-array bounds and base-pointer loads).
  if (known === undefined) vouched.set(handles, known = { copy: Array.from({ length: 64 }, () => 0), n, closes });
  for (let i = 0; i < n; i++) known.copy[i] = handles[i] as number;  // int32s: checked by the scan
  known.n = n;
  known.closes = closes;
  lastList = handles;
  lastKnown = known;
}

// The lowest signalled index (-1: none) of a vouched list, or -3 when it no longer holds the handles
// vouched for. The signalled bits are read, and the handles compared, 8 at a time: Node 20's V8 checks
// both arrays' maps and bounds at every element and the loop's stack guard at every iteration, which
// one element at a time cost 25 instructions per handle compared and 36 per handle read and compared;
// 8 at a time, 16 and about 26. The bits read are the vouched handles' (valid words whatever the list
// holds now); when the compare finds the list changed they are not used.
function scanVouched(words: Int32Array, handles: readonly unknown[], copy: readonly number[], n: number): number {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    if (((words[copy[i]! >>> 8]! | words[copy[i + 1]! >>> 8]! | words[copy[i + 2]! >>> 8]! | words[copy[i + 3]! >>> 8]! |
          words[copy[i + 4]! >>> 8]! | words[copy[i + 5]! >>> 8]! | words[copy[i + 6]! >>> 8]! | words[copy[i + 7]! >>> 8]!) & 1) !== 0) break;
  }
  for (; i < n; i++) if ((words[copy[i]! >>> 8]! & 1) !== 0) break;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    if (handles[j] !== copy[j] || handles[j + 1] !== copy[j + 1] || handles[j + 2] !== copy[j + 2] ||
        handles[j + 3] !== copy[j + 3] || handles[j + 4] !== copy[j + 4] || handles[j + 5] !== copy[j + 5] ||
        handles[j + 6] !== copy[j + 6] || handles[j + 7] !== copy[j + 7]) return -3;
  }
  for (; j < n; j++) if (handles[j] !== copy[j]) return -3;
  return i < n ? i : -1;
}

// Win32's wait functions, over the same handles: a WSAEVENT is a Win32 event handle, as on Windows,
// and these are the waits WSAWaitForMultipleEvents is (WAIT_OBJECT_0 + i, WAIT_TIMEOUT,
// WAIT_IO_COMPLETION and WAIT_FAILED are the WSA_WAIT_* numbers). Ports of programs that wait with
// them, e.g. the completion-routine textbook's `WaitForSingleObjectEx(hEvent, INFINITE, TRUE)`, keep
// their calls. Only event handles can be waited on.

/**
 * `WaitForSingleObjectEx(hHandle, dwMilliseconds, bAlertable)`: WAIT_OBJECT_0, WAIT_TIMEOUT,
 * WAIT_IO_COMPLETION or WAIT_FAILED.
 */
export function WaitForSingleObjectEx(hHandle: WSAEVENT, dwMilliseconds: number,
  bAlertable: boolean | number): Promise<number> {
  return WSAWaitForMultipleEvents(1, [hHandle], false, dwMilliseconds, bAlertable);
}

/** `WaitForSingleObject(hHandle, dwMilliseconds)`: not alertable. */
export function WaitForSingleObject(hHandle: WSAEVENT, dwMilliseconds: number): Promise<number> {
  return WaitForSingleObjectEx(hHandle, dwMilliseconds, false);
}

/** `WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, bAlertable)`: as WSAWaitForMultipleEvents. */
export function WaitForMultipleObjectsEx(nCount: number, lpHandles: ArrayLike<WSAEVENT> | null,
  bWaitAll: boolean | number, dwMilliseconds: number, bAlertable: boolean | number): Promise<number> {
  return WSAWaitForMultipleEvents(nCount, lpHandles, bWaitAll, dwMilliseconds, bAlertable);
}

/** `WaitForMultipleObjects(nCount, lpHandles, bWaitAll, dwMilliseconds)`: not alertable. */
export function WaitForMultipleObjects(nCount: number, lpHandles: ArrayLike<WSAEVENT> | null,
  bWaitAll: boolean | number, dwMilliseconds: number): Promise<number> {
  return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, false);
}
