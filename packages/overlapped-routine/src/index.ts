// @winsock-models/overlapped-routine: the overlapped model completed through completion routines
// (Overlapped model 2). A ported program imports everything it needs from here: the routine's type, the
// realm's APC queue (SleepEx, QueueUserAPC, GetCurrentThread), WSAOVERLAPPED and the calls a routine
// program uses beside the routines (AcceptEx and ConnectEx have no routine form: they complete on an
// event), the event calls and alertable waits, and core's sockets and constants (WSASend, WSARecv,
// WSASendTo and WSARecvFrom are core's: given an lpCompletionRoutine they take this model's path). The
// engine is core's, one native addon shared by every model; this list is this package's face.
export * from '@winsock-models/core';
export {
  WSAOVERLAPPED, WSAGetOverlappedResult, AcceptEx, ConnectEx, GetAcceptExSockaddrs,
  SleepEx, QueueUserAPC, GetCurrentThread, GetCurrentThreadId,
} from '@winsock-models/core/internal';
export type { LPWSAOVERLAPPED_COMPLETION_ROUTINE } from '@winsock-models/core/internal';
