// @winsock-models/overlapped-event: the overlapped model completed through event objects (Overlapped
// model 1). A ported program imports everything it needs from here: WSAOVERLAPPED and the overlapped
// results, AcceptEx/ConnectEx, the event calls, and core's sockets and constants (WSASend, WSARecv,
// WSASendTo and WSARecvFrom are core's: given an lpOverlapped they take this model's path). The engine
// is core's, one native addon shared by every model; this list is this package's face.
export * from '@winsock-models/core';
export {
  WSAOVERLAPPED, WSAGetOverlappedResult, AcceptEx, ConnectEx, GetAcceptExSockaddrs,
} from '@winsock-models/core/internal';
