// @winsock-models/core: Winsock's basics on Linux. See README.md for the C <-> TypeScript mapping.
export * from './constants.generated.js';
export * from './errors.generated.js';
export { WSAGetLastError, WSASetLastError, wsaErrorName, wsaErrorMessage, WinsockError, wsaCheck } from './errors.js';
export { htons, ntohs, htonl, ntohl, MAKEWORD, LOBYTE, HIBYTE, LOWORD, HIWORD, MAKELONG } from './byteorder.js';
export { inet_pton, inet_ntop, inet_addr, inet_ntoa } from './address.js';
export {
  IN_ADDR, IN6_ADDR, SOCKADDR, SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR_STORAGE, LINGER, WSADATA, WSABUF, sizeof, ZeroMemory,
} from './structs.js';
export {
  WSAStartup, WSACleanup, socket, closesocket, bind, listen, accept, connect, shutdown, send, recv, sendto, recvfrom,
  getsockname, getpeername, ioctlsocket, setsockopt, getsockopt,
} from './sockets.js';
export type { SOCKET, SockaddrLike } from './sockets.js';
export { WSASend, WSARecv, WSASendTo, WSARecvFrom } from './wsabuf.js';
export type { LPWSABUF } from './wsabuf.js';
export type { Box } from './binding.js';
// Deprecated here: the overlapped models' names, exported by @winsock-models/overlapped-event and
// @winsock-models/overlapped-routine (deprecated.ts says which); they leave core in its next minor.
export {
  WSAOVERLAPPED, WSAGetOverlappedResult, AcceptEx, ConnectEx, GetAcceptExSockaddrs,
  SleepEx, QueueUserAPC, GetCurrentThread, GetCurrentThreadId,
} from './deprecated.js';
export type { LPWSAOVERLAPPED_COMPLETION_ROUTINE } from './deprecated.js';
export {
  WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents,
  WaitForSingleObject, WaitForSingleObjectEx, WaitForMultipleObjects, WaitForMultipleObjectsEx,
} from './events.js';
export type { WSAEVENT } from './events.js';
