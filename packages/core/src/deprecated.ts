// Names core exported before the overlapped models got their own faces (issue 18). They stay for one
// minor version, as the same functions and classes the model packages export (through core/internal),
// marked deprecated with the package to import from instead; core's next minor drops them.
import * as apc from './apc.js';
import * as overlapped from './overlapped.js';

/**
 * @deprecated Import `WSAOVERLAPPED` from `@winsock-models/overlapped-event` (or
 * `@winsock-models/overlapped-routine`); core's export goes in its next minor version.
 */
export const WSAOVERLAPPED = overlapped.WSAOVERLAPPED;
/**
 * @deprecated Import `WSAOVERLAPPED` from `@winsock-models/overlapped-event` (or
 * `@winsock-models/overlapped-routine`); core's export goes in its next minor version.
 */
export type WSAOVERLAPPED = overlapped.WSAOVERLAPPED;
/**
 * @deprecated Import `WSAGetOverlappedResult` from `@winsock-models/overlapped-event` (or
 * `@winsock-models/overlapped-routine`); core's export goes in its next minor version.
 */
export const WSAGetOverlappedResult = overlapped.WSAGetOverlappedResult;
/**
 * @deprecated Import `AcceptEx` from `@winsock-models/overlapped-event` (or
 * `@winsock-models/overlapped-routine`); core's export goes in its next minor version.
 */
export const AcceptEx = overlapped.AcceptEx;
/**
 * @deprecated Import `ConnectEx` from `@winsock-models/overlapped-event` (or
 * `@winsock-models/overlapped-routine`); core's export goes in its next minor version.
 */
export const ConnectEx = overlapped.ConnectEx;
/**
 * @deprecated Import `GetAcceptExSockaddrs` from `@winsock-models/overlapped-event` (or
 * `@winsock-models/overlapped-routine`); core's export goes in its next minor version.
 */
export const GetAcceptExSockaddrs = overlapped.GetAcceptExSockaddrs;
/**
 * @deprecated Import `LPWSAOVERLAPPED_COMPLETION_ROUTINE` from `@winsock-models/overlapped-routine`;
 * core's export goes in its next minor version.
 */
export type LPWSAOVERLAPPED_COMPLETION_ROUTINE = overlapped.LPWSAOVERLAPPED_COMPLETION_ROUTINE;
/**
 * @deprecated Import `SleepEx` from `@winsock-models/overlapped-routine`; core's export goes in its next
 * minor version.
 */
export const SleepEx = apc.SleepEx;
/**
 * @deprecated Import `QueueUserAPC` from `@winsock-models/overlapped-routine`; core's export goes in its
 * next minor version.
 */
export const QueueUserAPC = apc.QueueUserAPC;
/**
 * @deprecated Import `GetCurrentThread` from `@winsock-models/overlapped-routine`; core's export goes in
 * its next minor version.
 */
export const GetCurrentThread = apc.GetCurrentThread;
/**
 * @deprecated Import `GetCurrentThreadId` from `@winsock-models/overlapped-routine`; core's export goes
 * in its next minor version.
 */
export const GetCurrentThreadId = apc.GetCurrentThreadId;
