// @winsock-models/core/internal: the typed native surface for the model packages. Programs import
// from '@winsock-models/core' or a model package; only model packages import this, so the addon has
// one owner and one set of types.
export { native, addonExports } from './binding.js';
export type { NativeBinding, Box } from './binding.js';
export { MEMORY, SIZEOF, CStruct, memoryOf } from './structs.js';
export { traceStart, traceKinds } from './trace.js';
export type { TraceRecord, TraceSession, TraceKind } from './trace.js';
// The overlapped models' calls, over core's overlapped engine and APC queue. Each model package's
// index.ts says which of them its face carries. Their code stays in core: core's own WSASend/WSARecv
// take a WSAOVERLAPPED and a routine, more than one model exports WSAOVERLAPPED, WSAGetOverlappedResult,
// AcceptEx, ConnectEx and GetAcceptExSockaddrs (overlapped-event and overlapped-routine), and core's
// deprecated exports (deprecated.ts) must be these same functions until its next minor version.
export { WSAOVERLAPPED, WSAGetOverlappedResult, AcceptEx, ConnectEx, GetAcceptExSockaddrs, OverlappedFields } from './overlapped.js';
export type { LPWSAOVERLAPPED_COMPLETION_ROUTINE } from './overlapped.js';
export { SleepEx, QueueUserAPC, GetCurrentThread, GetCurrentThreadId } from './apc.js';
