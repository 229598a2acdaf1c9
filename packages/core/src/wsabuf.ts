// WSASend, WSARecv, WSASendTo, WSARecvFrom over WSABUF arrays (scatter/gather), synchronous form.
import { native, type Box } from './binding.js';
import { memoryOf, type WSABUF } from './structs.js';
import type { SOCKET, SockaddrLike } from './sockets.js';

/** An array of WSABUF, or one WSABUF (C's `&wsabuf` with a count of 1). */
export type LPWSABUF = ReadonlyArray<WSABUF> | WSABUF;

function noOverlapped(name: string, lpOverlapped: unknown, lpCompletionRoutine: unknown): void {
  if ((lpOverlapped !== null && lpOverlapped !== undefined) ||
      (lpCompletionRoutine !== null && lpCompletionRoutine !== undefined)) {
    throw new TypeError(`${name}: overlapped calls come from @winsock-models/overlapped-event or ` +
      '@winsock-models/overlapped-routine; core\'s form is the synchronous one (lpOverlapped null)');
  }
}

/**
 * Gathers the buffers in order into one send. Returns 0 (bytes in lpNumberOfBytesSent.value) or
 * SOCKET_ERROR. A blocking socket waits (this thread only) until every byte is taken.
 */
export function WSASend(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesSent: Box | null,
  dwFlags: number, lpOverlapped: null = null, lpCompletionRoutine: null = null): number {
  noOverlapped('WSASend', lpOverlapped, lpCompletionRoutine);
  return native.WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags);
}

/**
 * Scatters what arrives into the buffers in order, each filled before the next. Returns 0 (bytes in
 * lpNumberOfBytesRecvd.value, flags out in lpFlags.value) or SOCKET_ERROR. A datagram larger than the
 * buffers is WSAEMSGSIZE with its first bytes delivered and MSG_PARTIAL in lpFlags.value.
 */
export function WSARecv(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpOverlapped: null = null, lpCompletionRoutine: null = null): number {
  noOverlapped('WSARecv', lpOverlapped, lpCompletionRoutine);
  return native.WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags);
}

export function WSASendTo(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesSent: Box | null,
  dwFlags: number, lpTo: SockaddrLike | null, iTolen: number, lpOverlapped: null = null,
  lpCompletionRoutine: null = null): number {
  noOverlapped('WSASendTo', lpOverlapped, lpCompletionRoutine);
  return native.WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, memoryOf(lpTo), iTolen);
}

export function WSARecvFrom(s: SOCKET, lpBuffers: LPWSABUF, dwBufferCount: number, lpNumberOfBytesRecvd: Box | null,
  lpFlags: Box | null, lpFrom: SockaddrLike | null, lpFromlen: Box | null, lpOverlapped: null = null,
  lpCompletionRoutine: null = null): number {
  noOverlapped('WSARecvFrom', lpOverlapped, lpCompletionRoutine);
  return native.WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, memoryOf(lpFrom), lpFromlen);
}
