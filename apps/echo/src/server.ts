// The contract every echo server of apps/echo keeps, whatever its model.
export interface EchoServerOptions {
  /** Address to listen on (the CLI uses 127.0.0.1). */
  host: string;
  /** Port to listen on; 0 asks the system for a free one. */
  port: number;
  /** Called once the server accepts connections, with the port it got. */
  onListening(port: number): void;
  /** Aborted on SIGINT/SIGTERM (or by a test): the server closes its sockets and returns. */
  signal: AbortSignal;
  /** Trace lines in Winsock terms (FD_READ recorded, WSA_IO_PENDING, ...); absent: no tracing. */
  trace?: (line: string) => void;
  /** Worker threads, for a server that has them (WORKER_THREAD_MODELS; iocp: default 2 x CPUs). */
  workers?: number;
}

/** Runs until `signal` aborts; resolves once every socket it opened is closed. */
export type EchoServer = (options: EchoServerOptions) => Promise<void>;

/** The models the CLI knows, by their --model name. Each module's default export is its EchoServer. */
export const MODELS = ['select', 'async-select', 'event-select', 'event-select-groups', 'overlapped-event',
  'overlapped-routine', 'iocp', 'net'] as const;
export type ModelName = (typeof MODELS)[number];

/** The models whose server receives and sends in worker threads, as many as `workers` asks for. */
export const WORKER_THREAD_MODELS: readonly ModelName[] = ['iocp'];

// One module per model under servers/, each loaded only when asked for.
const registry: Partial<Record<ModelName, () => Promise<{ default: EchoServer }>>> = {
  select: () => import('./servers/select.js'),
  net: () => import('./servers/net.js'),
  'async-select': () => import('./servers/async-select.js'),
  'event-select': () => import('./servers/event-select.js'),
  'event-select-groups': () => import('./servers/event-select-groups.js'),
  'overlapped-event': () => import('./servers/overlapped-event.js'),
  'overlapped-routine': () => import('./servers/overlapped-routine.js'),
  iocp: () => import('./servers/iocp.js'),
};

/** The models that have an echo server today, in MODELS order. */
export function availableModels(): ModelName[] {
  return MODELS.filter((m) => registry[m] !== undefined);
}

/** The model's echo server; throws for a model that has no server yet. */
export async function loadServer(model: ModelName): Promise<EchoServer> {
  const load = registry[model];
  if (!load) throw new Error(`the ${model} echo server does not exist yet`);
  return (await load()).default;
}
