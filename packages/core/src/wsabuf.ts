// WSASend, WSARecv, WSASendTo, WSARecvFrom over WSABUF arrays (scatter/gather): synchronous without an
// lpOverlapped, through the overlapped engine (overlapped_calls.cc, overlapped_engine.cc) with one.
import { native, type Box } from './binding.js';
import { memoryOf, type WSABUF } from './structs.js';
import type { SOCKET, SockaddrLike } from './sockets.js';
import { checkBox, type LPWSAOVERLAPPED_COMPLETION_ROUTINE, type WSAOVERLAPPED } from './overlapped.js';
import { BYTES, FLAGS, REPORTED, beginCall, endCall, opResult, setCallArgs } from './holds.js';

/** An array of WSABUF, or one WSABUF (C's `&wsabuf` with a count of 1). */
export type LPWSABUF = ReadonlyArray<WSABUF> | WSABUF;

type Overlapped = WSAOVERLAPPED | null | undefined;
type Routine = LPWSAOVERLAPPED_COMPLETION_ROUTINE | null | undefined;

const present = (x: unknown): boolean => x !== null && x !== undefined;

/**
 * Gathers the buffers in order into one send. Returns 0 (bytes in lpNumberOfBytesSent.value) or
 * SOCKET_ERROR. Without lpOverlapped it is synchronous: a blocking socket waits (this thread only)
 * until every byte is taken. With lpOverlapped it never waits: SOCKET_ERROR with WSA_IO_PENDING means
 * it completes later, signalled through lpOverlapped.hEvent or lpCompletionRoutine.
 */
export function WSASend(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesSent: Box | null,
  dwFlags: number, lpOverlapped: Overlapped = null, lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return overlappedSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped!,
      lpCompletionRoutine, null, null);
  }
  return native.WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags);
}

/**
 * Scatters what arrives into the buffers in order, each filled before the next. Returns 0 (bytes in
 * lpNumberOfBytesRecvd.value, flags out in lpFlags.value) or SOCKET_ERROR. A datagram larger than the
 * buffers is WSAEMSGSIZE with its first bytes delivered and lpFlags.value 0 (no MSG_PARTIAL for UDP).
 */
export function WSARecv(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpOverlapped: Overlapped = null, lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return overlappedRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped!,
      lpCompletionRoutine, null, null);
  }
  return native.WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags);
}

export function WSASendTo(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesSent: Box | null,
  dwFlags: number, lpTo: SockaddrLike | null, iTolen: number, lpOverlapped: Overlapped = null,
  lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return overlappedSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped!,
      lpCompletionRoutine, lpTo, iTolen);
  }
  return native.WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, memoryOf(lpTo), iTolen);
}

export function WSARecvFrom(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpFrom: SockaddrLike | null, lpFromlen: Box | null, lpOverlapped: Overlapped = null,
  lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return overlappedRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped!,
      lpCompletionRoutine, lpFrom, lpFromlen);
  }
  return native.WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, memoryOf(lpFrom), lpFromlen);
}

// ---- the overlapped forms --------------------------------------------------------------------------
// The engine keeps the WSAOVERLAPPED, the routine and the buffers alive through a slot in holds.ts.
// One WSABUF (the form nearly every program uses) with number arguments is read here: its buffer
// crosses with the WSAOVERLAPPED, the numbers through callArgs (holds.ts), so native code makes no
// property read and no Node-API call per number. Any other form, or an argument of the wrong type,
// goes as the WSABUF array, read and checked natively.

const SEND_USAGE = 'WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped, lpCompletionRoutine)';
const RECV_USAGE = 'WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped, lpCompletionRoutine)';

function checkRoutine(routine: unknown, usage: string): Function | null {
  if (routine === null || routine === undefined) return null;
  if (typeof routine !== 'function') throw new TypeError(`${usage}: lpCompletionRoutine must be a function or null`);
  return routine;
}

/** The single WSABUF of a one-buffer call in its plain shape, or null for anything else. */
function singleWsabuf(lpBuffers: LPWSABUF, dwBufferCount: number): WSABUF | null {
  if (dwBufferCount !== 1) return null;
  const b: unknown = Array.isArray(lpBuffers) ? lpBuffers[0] : lpBuffers;
  if (typeof b !== 'object' || b === null || ArrayBuffer.isView(b)) return null;
  const w = b as WSABUF;
  return typeof w.len === 'number' && ArrayBuffer.isView(w.buf) ? w : null;
}

function overlappedSend(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesSent: Box | null,
  dwFlags: number, lpOverlapped: WSAOVERLAPPED, lpCompletionRoutine: Routine, lpTo: SockaddrLike | null,
  iTolen: number | null): number {
  checkBox(lpNumberOfBytesSent, SEND_USAGE, 'lpNumberOfBytesSent');
  const routine = checkRoutine(lpCompletionRoutine, SEND_USAGE);
  const one = lpTo === null && typeof s === 'number' && typeof dwFlags === 'number'
    ? singleWsabuf(lpBuffers, dwBufferCount) : null;
  const buf = one === null ? null : one.buf;
  const ovMem = memoryOf(lpOverlapped);
  const slot = beginCall(lpOverlapped, routine, buf, ovMem);
  let r: number;
  try {
    if (one !== null) {
      setCallArgs(s, one.len, dwFlags | 0, slot, routine);
      r = native.overlappedSendOne(buf, ovMem);
    } else {
      r = native.overlappedSend(s, lpBuffers, dwBufferCount, dwFlags, ovMem, slot, routine !== null,
        memoryOf(lpTo), iTolen);
    }
  } finally {
    endCall(slot);
  }
  if (opResult[REPORTED] === 1 && lpNumberOfBytesSent) lpNumberOfBytesSent.value = opResult[BYTES]!;
  return r;
}

function overlappedRecv(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpOverlapped: WSAOVERLAPPED, lpCompletionRoutine: Routine, lpFrom: SockaddrLike | null,
  lpFromlen: Box | null): number {
  checkBox(lpNumberOfBytesRecvd, RECV_USAGE, 'lpNumberOfBytesRecvd');
  checkBox(lpFlags, RECV_USAGE, 'lpFlags');
  const routine = checkRoutine(lpCompletionRoutine, RECV_USAGE);
  const flagsIn = lpFlags === null || lpFlags === undefined ? null
    : typeof lpFlags.value === 'number' ? lpFlags.value >>> 0 : 0;
  const one = lpFrom === null && typeof s === 'number' ? singleWsabuf(lpBuffers, dwBufferCount) : null;
  const buf = one === null ? null : one.buf;
  const ovMem = memoryOf(lpOverlapped);
  const slot = beginCall(lpOverlapped, routine, buf, ovMem);
  let r: number;
  try {
    if (one !== null) {
      setCallArgs(s, one.len, flagsIn === null ? -1 : flagsIn, slot, routine);
      r = native.overlappedRecvOne(buf, ovMem);
    } else {
      r = native.overlappedRecv(s, lpBuffers, dwBufferCount, flagsIn, ovMem, slot, routine !== null,
        memoryOf(lpFrom), lpFromlen);
    }
  } finally {
    endCall(slot);
  }
  if (opResult[REPORTED] === 1) {
    if (lpNumberOfBytesRecvd) lpNumberOfBytesRecvd.value = opResult[BYTES]!;
    if (lpFlags) lpFlags.value = opResult[FLAGS]!;
  }
  return r;
}
