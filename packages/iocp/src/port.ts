// The completion-port calls: CreateIoCompletionPort, GetQueuedCompletionStatus(Ex),
// PostQueuedCompletionStatus, CloseHandle, GetLastError. The port itself is native (core's iocp.cc):
// process-wide, any realm may wait on it, each packet goes to exactly one waiter, at most
// NumberOfConcurrentThreads waiters run at once, the most recent waiter first.
import { native, memoryOf, type Box, type WSAOVERLAPPED } from '@winsock-models/core/internal';
import { WSAGetLastError, WSASetLastError, type SOCKET } from '@winsock-models/core';
import { fromArenas, type OVERLAPPED_RECORD } from './arena.js';

/** A HANDLE: a number (a port's handle, or an event's). NULL is 0. */
export type HANDLE = number;
/** `INVALID_HANDLE_VALUE`: CreateIoCompletionPort's FileHandle when only a port is wanted. */
export const INVALID_HANDLE_VALUE = -1;
export const NULL = 0;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_ABANDONED_WAIT_0 = 735;
export const ERROR_OPERATION_ABORTED = 995;
export const ERROR_IO_PENDING = 997;

/** What GetQueuedCompletionStatus stores in *lpOverlapped: a record of an IoArena opened in this thread. */
export type LPOVERLAPPED = OVERLAPPED_RECORD | WSAOVERLAPPED | UnmappedOverlapped;

/**
 * A packet's lpOverlapped that is not in an IoArena this thread opened, nor posted by this thread:
 * C would hand back the pointer; here only its address can come back.
 */
export class UnmappedOverlapped {
  constructor(readonly address: number) {}
}

// Objects this realm posted that are not arena records (a plain WSAOVERLAPPED), by address, so a
// packet dequeued in this realm gives the same object back. Weak: the program keeps what it posts.
const POSTED = Symbol.for('@winsock-models/iocp.posted');
function posted(): Map<number, WeakRef<object>> {
  const g = globalThis as unknown as Record<symbol, Map<number, WeakRef<object>> | undefined>;
  return (g[POSTED] ??= new Map());
}

// A wait decided inside its call leaves its outcome here ([status, count, (key, overlapped, Internal,
// bytes) x count]): read at once, before anything else runs in this realm.
const result: Float64Array = native.iocpResult;
const args: Float64Array = native.iocpArgs;
// Taken off the binding once: it has too many properties for a fast (inline-cached) load per call.
const iocpWaitArgs = native.iocpWaitArgs;

// native.iocpWait: numbers go through iocpArgs (far cheaper than as a call's arguments), converted as
// the native side converts them; anything else goes as arguments, for its checks and TypeErrors.
function wait(CompletionPort: unknown, ulCount: unknown, dwMilliseconds: unknown, fAlertable: boolean):
  undefined | number[] | Promise<number[]> {
  if (typeof CompletionPort === 'number' && typeof ulCount === 'number' && typeof dwMilliseconds === 'number') {
    args[0] = CompletionPort;
    args[1] = ulCount >>> 0;
    args[2] = dwMilliseconds >>> 0;
    args[3] = fAlertable ? 1 : 0;
    return iocpWaitArgs();
  }
  return native.iocpWait(CompletionPort as number, ulCount as number, dwMilliseconds as number, fAlertable);
}

// A wait decided inside its call answers with one of these: a settled promise of a BOOL can be
// awaited any number of times, and making a new one per call (Promise.resolve) was an allocation per
// packet for the garbage collector.
const RESOLVED: readonly Promise<number>[] = [Promise.resolve(0), Promise.resolve(1)];

function overlappedFrom(address: number): LPOVERLAPPED | null {
  if (address === 0) return null;
  const fromArena = fromArenas(address);
  if (fromArena) return fromArena;
  const p = posted().get(address)?.deref();
  return (p as LPOVERLAPPED | undefined) ?? new UnmappedOverlapped(address);
}

function addressOf(lpOverlapped: object | null, usage: string): number {
  if (lpOverlapped === null || lpOverlapped === undefined) return 0;
  if (lpOverlapped instanceof UnmappedOverlapped) return lpOverlapped.address;
  const mem = memoryOf(lpOverlapped);
  if (!(mem instanceof Uint8Array) || mem === lpOverlapped as unknown) {
    throw new TypeError(`${usage}: lpOverlapped must be a WSAOVERLAPPED, an IoArena record or null`);
  }
  return native.iocpAddressOf(mem);
}

function checkBox(box: unknown, usage: string, name: string): void {
  if (typeof box !== 'object' || box === null || ArrayBuffer.isView(box)) {
    throw new TypeError(`${usage}: ${name} must be an object such as { value: 0 }`);
  }
}

/**
 * `CreateIoCompletionPort(FileHandle, ExistingCompletionPort, CompletionKey, NumberOfConcurrentThreads)`.
 * FileHandle INVALID_HANDLE_VALUE with ExistingCompletionPort NULL: a new port (NumberOfConcurrentThreads
 * 0 = the number of CPUs). A socket: associates it with ExistingCompletionPort (returned), or with a new
 * port when that is NULL; its completions then carry CompletionKey. NULL (0) on failure, with
 * GetLastError: ERROR_INVALID_HANDLE (not a socket or port), ERROR_INVALID_PARAMETER (a socket already
 * associated; an existing port without a socket).
 */
export function CreateIoCompletionPort(FileHandle: SOCKET | HANDLE, ExistingCompletionPort: HANDLE | null,
  CompletionKey: number, NumberOfConcurrentThreads: number): HANDLE {
  return native.iocpCreate(FileHandle, ExistingCompletionPort ?? 0, CompletionKey, NumberOfConcurrentThreads);
}

/**
 * `GetQueuedCompletionStatus(CompletionPort, lpNumberOfBytes, lpCompletionKey, lpOverlapped, dwMilliseconds)`:
 * a Promise of Win32's BOOL.
 * - TRUE (1): a packet of a successful request (or a posted one): the three outs are set; a posted NULL
 *   lpOverlapped comes back as null.
 * - FALSE with lpOverlapped.value non-null: the request failed; the outs are set and GetLastError() is
 *   its error (the WSA code, e.g. WSA_OPERATION_ABORTED 995 after closesocket, WSAECONNRESET).
 * - FALSE with lpOverlapped.value null: no packet; GetLastError() is WAIT_TIMEOUT (258), or
 *   ERROR_ABANDONED_WAIT_0 (735) when the port was closed while waiting, or ERROR_INVALID_HANDLE (6);
 *   lpNumberOfBytes and lpCompletionKey are left alone.
 */
export function GetQueuedCompletionStatus(CompletionPort: HANDLE, lpNumberOfBytes: Box, lpCompletionKey: Box,
  lpOverlapped: Box<LPOVERLAPPED | null>, dwMilliseconds: number): Promise<number> {
  const usage = 'GetQueuedCompletionStatus(CompletionPort, lpNumberOfBytes, lpCompletionKey, lpOverlapped, dwMilliseconds)';
  checkBox(lpNumberOfBytes, usage, 'lpNumberOfBytes');
  checkBox(lpCompletionKey, usage, 'lpCompletionKey');
  checkBox(lpOverlapped, usage, 'lpOverlapped');
  const r = wait(CompletionPort, 1, dwMilliseconds, false);
  if (r === undefined) return RESOLVED[settleOne(result, lpNumberOfBytes, lpCompletionKey, lpOverlapped)]!;
  // An outcome as an array (at most one packet: it fits) is read from iocpResult too, so settleOne
  // only ever reads a Float64Array.
  if (Array.isArray(r)) {
    result.set(r);
    return RESOLVED[settleOne(result, lpNumberOfBytes, lpCompletionKey, lpOverlapped)]!;
  }
  return r.then((a) => {
    result.set(a);
    return settleOne(result, lpNumberOfBytes, lpCompletionKey, lpOverlapped);
  });
}

// GetQueuedCompletionStatus's BOOL and outs from a wait's outcome (iocpResult's layout).
function settleOne(r: Float64Array, lpNumberOfBytes: Box, lpCompletionKey: Box,
  lpOverlapped: Box<LPOVERLAPPED | null>): number {
  if (r[0] !== 0) {
    lpOverlapped.value = null;
    WSASetLastError(r[0]!);
    return 0;
  }
  lpCompletionKey.value = r[2]!;
  lpOverlapped.value = overlappedFrom(r[3]!);
  lpNumberOfBytes.value = r[5]!;
  if (r[4] !== 0) {
    WSASetLastError(r[4]!);
    return 0;
  }
  return 1;
}

/** `OVERLAPPED_ENTRY`: one packet of GetQueuedCompletionStatusEx. Internal is the request's WSA code. */
export class OVERLAPPED_ENTRY {
  lpCompletionKey = 0;
  lpOverlapped: LPOVERLAPPED | null = null;
  Internal = 0;
  dwNumberOfBytesTransferred = 0;
}

/**
 * `GetQueuedCompletionStatusEx(CompletionPort, lpCompletionPortEntries, ulCount, ulNumEntriesRemoved,
 * dwMilliseconds, fAlertable)`: a Promise of BOOL. TRUE: 1 to ulCount packets in the entries (a failed
 * request's packet too: its Internal says so), ulNumEntriesRemoved.value their number. FALSE with
 * ulNumEntriesRemoved.value 0 and GetLastError(): WAIT_TIMEOUT, WAIT_IO_COMPLETION (fAlertable: queued
 * APCs, such as completion routines, ran), ERROR_ABANDONED_WAIT_0, ERROR_INVALID_HANDLE, or
 * ERROR_INVALID_PARAMETER (ulCount 0 or larger than the array).
 */
export function GetQueuedCompletionStatusEx(CompletionPort: HANDLE, lpCompletionPortEntries: OVERLAPPED_ENTRY[],
  ulCount: number, ulNumEntriesRemoved: Box, dwMilliseconds: number, fAlertable: boolean | number): Promise<number> {
  const usage = 'GetQueuedCompletionStatusEx(CompletionPort, lpCompletionPortEntries, ulCount, ulNumEntriesRemoved, ' +
    'dwMilliseconds, fAlertable)';
  if (!Array.isArray(lpCompletionPortEntries)) throw new TypeError(`${usage}: lpCompletionPortEntries must be an array of OVERLAPPED_ENTRY`);
  checkBox(ulNumEntriesRemoved, usage, 'ulNumEntriesRemoved');
  const settle = (r: ArrayLike<number>): number => {
    const n = r[0] === 0 ? r[1]! : 0;
    for (let i = 0; i < n; i++) {
      const e = (lpCompletionPortEntries[i] ??= new OVERLAPPED_ENTRY());
      e.lpCompletionKey = r[2 + 4 * i]!;
      e.lpOverlapped = overlappedFrom(r[3 + 4 * i]!);
      e.Internal = r[4 + 4 * i]!;
      e.dwNumberOfBytesTransferred = r[5 + 4 * i]!;
    }
    ulNumEntriesRemoved.value = n;
    if (r[0] !== 0) {
      WSASetLastError(r[0]!);
      return 0;
    }
    return 1;
  };
  const count = typeof ulCount === 'number' && ulCount > lpCompletionPortEntries.length ? 0 : ulCount;
  const r = wait(CompletionPort, count, dwMilliseconds, Boolean(fAlertable));
  return r === undefined ? RESOLVED[settle(result)]! : Array.isArray(r) ? RESOLVED[settle(r)]! : r.then(settle);
}

/**
 * `PostQueuedCompletionStatus(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped)`:
 * queues a packet that a waiter dequeues as it is (TRUE, even with a null lpOverlapped). TRUE (1), or
 * FALSE (0) with ERROR_INVALID_HANDLE.
 */
export function PostQueuedCompletionStatus(CompletionPort: HANDLE, dwNumberOfBytesTransferred: number,
  dwCompletionKey: number, lpOverlapped: LPOVERLAPPED | null): number {
  const usage = 'PostQueuedCompletionStatus(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped)';
  const address = addressOf(lpOverlapped, usage);
  const r = native.iocpPost(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, address);
  if (r !== 0) {
    WSASetLastError(r);
    return 0;
  }
  if (address !== 0 && lpOverlapped && !(lpOverlapped instanceof UnmappedOverlapped) && fromArenas(address) === undefined) {
    const map = posted();
    if (map.size >= 1024) for (const [a, ref] of map) if (ref.deref() === undefined) map.delete(a);
    map.set(address, new WeakRef(lpOverlapped));
  }
  return 1;
}

/**
 * `CloseHandle(hObject)`: closes a completion port (every GetQueuedCompletionStatus waiting on it ends
 * with FALSE and ERROR_ABANDONED_WAIT_0; its queued packets go) or an event object. TRUE (1), or FALSE
 * (0) with ERROR_INVALID_HANDLE.
 */
export function CloseHandle(hObject: HANDLE): number {
  if (typeof hObject !== 'number') throw new TypeError('CloseHandle(hObject): hObject must be a HANDLE (a number)');
  if (native.iocpClose(hObject) === 0) return 1;
  if (hObject > 0 && hObject < 2 ** 31 && native.WSACloseEvent(hObject)) return 1;
  WSASetLastError(ERROR_INVALID_HANDLE);
  return 0;
}

/** `GetLastError()`: the thread's last error (the same value WSAGetLastError reads, as on Windows). */
export function GetLastError(): number { return WSAGetLastError(); }
/** `SetLastError(dwErrCode)`. */
export function SetLastError(dwErrCode: number): void { WSASetLastError(dwErrCode); }
