// The main thread's handle on the client worker: one request at a time, a Promise per request.
import { Worker } from 'node:worker_threads';
import type { ClientReply, ClientRequest } from './client-worker.js';
import type { ScenarioResult } from './scenarios.js';

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

export class Clients {
  private readonly worker = new Worker(new URL('./client-worker.js', import.meta.url));
  private next = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor() {
    this.worker.on('message', (m: ClientReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result);
    });
    this.worker.on('error', (e) => { for (const w of this.waiting.values()) w.reject(e); this.waiting.clear(); });
  }

  run<R = ScenarioResult>(req: Without<ClientRequest>): Promise<R> {
    const id = this.next++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  close(): Promise<number> { return this.worker.terminate(); }
}
