export { MODELS, WORKER_THREAD_MODELS, loadServer, availableModels } from './server.js';
export type { EchoServer, EchoServerOptions, ModelName } from './server.js';
export { verifyEcho, pattern } from './client.js';
export type { VerifyOptions, VerifyResult } from './client.js';
export { selectClient } from './clients/select-client.js';
export type { SelectClientOptions, SelectClientResult } from './clients/select-client.js';
