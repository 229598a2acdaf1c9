// @winsock-models/core/internal: the typed native surface for the model packages. Programs import
// from '@winsock-models/core' or a model package; only model packages import this, so the addon has
// one owner and one set of types.
export { native } from './binding.js';
export type { NativeBinding, Box } from './binding.js';
export { MEMORY, SIZEOF, CStruct, memoryOf } from './structs.js';
export { traceStart, traceKinds } from './trace.js';
export type { TraceRecord, TraceSession, TraceKind } from './trace.js';
