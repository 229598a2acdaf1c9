// WSASend, WSARecv, WSASendTo, WSARecvFrom over WSABUF arrays (scatter/gather): synchronous without an
// lpOverlapped, through the overlapped engine (overlapped.cc) with one.
import { native, type Box } from './binding.js';
import { memoryOf, type WSABUF } from './structs.js';
import type { SOCKET, SockaddrLike } from './sockets.js';
import type { LPWSAOVERLAPPED_COMPLETION_ROUTINE, WSAOVERLAPPED } from './overlapped.js';

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
    return native.overlappedSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped!,
      memoryOf(lpOverlapped), lpCompletionRoutine ?? null, null, null);
  }
  return native.WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags);
}

/**
 * Scatters what arrives into the buffers in order, each filled before the next. Returns 0 (bytes in
 * lpNumberOfBytesRecvd.value, flags out in lpFlags.value) or SOCKET_ERROR. A datagram larger than the
 * buffers is WSAEMSGSIZE with its first bytes delivered and MSG_PARTIAL in lpFlags.value.
 */
export function WSARecv(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpOverlapped: Overlapped = null, lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return native.overlappedRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped!,
      memoryOf(lpOverlapped), lpCompletionRoutine ?? null, null, null);
  }
  return native.WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags);
}

export function WSASendTo(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesSent: Box | null,
  dwFlags: number, lpTo: SockaddrLike | null, iTolen: number, lpOverlapped: Overlapped = null,
  lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return native.overlappedSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped!,
      memoryOf(lpOverlapped), lpCompletionRoutine ?? null, memoryOf(lpTo), iTolen);
  }
  return native.WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, memoryOf(lpTo), iTolen);
}

export function WSARecvFrom(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpFrom: SockaddrLike | null, lpFromlen: Box | null, lpOverlapped: Overlapped = null,
  lpCompletionRoutine: Routine = null): number {
  if (present(lpOverlapped)) {
    return native.overlappedRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped!,
      memoryOf(lpOverlapped), lpCompletionRoutine ?? null, memoryOf(lpFrom), lpFromlen);
  }
  return native.WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, memoryOf(lpFrom), lpFromlen);
}
