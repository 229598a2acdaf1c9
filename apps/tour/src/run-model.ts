// Runs one model's echo server in this process and drives real clients at it.
import { loadServer, verifyEcho, type ModelName } from '@winsock-models/echo';

export interface ModelReport {
  model: ModelName;
  clients: number;
  bytesVerified: number;
  roundTrips: number;
  roundTripsPerSecond: number;
  trace: string[];
}

export async function runModel(model: ModelName, clients = 16, rounds = 50, size = 64): Promise<ModelReport> {
  const serve = await loadServer(model);
  const controller = new AbortController();
  const trace: string[] = [];
  let done!: Promise<void>;
  const port = await new Promise<number>((resolve, reject) => {
    done = serve({
      host: '127.0.0.1', port: 0, signal: controller.signal, onListening: resolve,
      trace: (line) => { if (trace.length < 4) trace.push(line); },
    });
    done.catch(reject);
  });
  const started = process.hrtime.bigint();
  try {
    const r = await verifyEcho({ port, clients, rounds, size, timeoutMs: 20_000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { model, clients, bytesVerified: r.bytesVerified, roundTrips: r.roundTrips,
      roundTripsPerSecond: r.roundTrips / seconds, trace };
  } finally {
    controller.abort();
    await done;
  }
}
