// Starts a model's echo server in this process on a free loopback port, for a test.
import { loadServer, type ModelName } from '../src/server.js';

export async function startEcho(model: ModelName, trace?: (line: string) => void, workers?: number): Promise<{ port: number; stop(): Promise<void> }> {
  const serve = await loadServer(model);
  const controller = new AbortController();
  let done!: Promise<void>;
  const port = await new Promise<number>((resolve, reject) => {
    done = serve({ host: '127.0.0.1', port: 0, signal: controller.signal, onListening: resolve, trace, workers });
    done.catch(reject);
  });
  return { port, stop: async () => { controller.abort(); await done; } };
}
