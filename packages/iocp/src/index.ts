// @winsock-models/iocp: I/O completion ports, with worker_threads as the thread pool. Re-exports core
// (sockets, WSARecv/WSASend, WSAOVERLAPPED, AcceptEx, events), so a ported program imports everything
// from this package.
export * from '@winsock-models/core';
// The overlapped names an IOCP program uses, from core/internal (core's own exports of them are
// deprecated in favour of the model packages').
export {
  WSAOVERLAPPED, WSAGetOverlappedResult, AcceptEx, ConnectEx, GetAcceptExSockaddrs,
} from '@winsock-models/core/internal';
export {
  CreateIoCompletionPort, GetQueuedCompletionStatus, GetQueuedCompletionStatusEx, PostQueuedCompletionStatus,
  CloseHandle, GetLastError, SetLastError, OVERLAPPED_ENTRY, UnmappedOverlapped, INVALID_HANDLE_VALUE, NULL,
  ERROR_INVALID_HANDLE, ERROR_ABANDONED_WAIT_0, ERROR_OPERATION_ABORTED, ERROR_IO_PENDING,
} from './port.js';
export type { HANDLE, LPOVERLAPPED } from './port.js';
export { IoArena, OVERLAPPED_RECORD } from './arena.js';
export type { IoArenaShared } from './arena.js';
// A record class states C's size of its struct with `static readonly [SIZEOF] = ...`.
export { SIZEOF } from '@winsock-models/core/internal';
