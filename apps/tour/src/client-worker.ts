// The tour's clients run in this worker thread, so the server under test has the main thread (and its
// event loop) to itself, as a server process would, and counts on that thread are the server's alone.
import { parentPort } from 'node:worker_threads';
import * as scenarios from './scenarios.js';

export type ClientRequest =
  | { id: number; kind: 'echo'; port: number; clients: number; rounds: number }
  | { id: number; kind: 'half-close' | 'abortive-close'; port: number }
  | { id: number; kind: 'burst'; port: number; total: number };

export type ClientReply = { id: number; result?: unknown; error?: string };

parentPort!.on('message', async (req: ClientRequest) => {
  try {
    let result: unknown;
    switch (req.kind) {
      case 'echo': result = await scenarios.echo(req.port, req.clients, req.rounds); break;
      case 'half-close': result = await scenarios.halfClose(req.port); break;
      case 'abortive-close': result = await scenarios.abortiveClose(req.port); break;
      case 'burst': result = await scenarios.burst(req.port, req.total); break;
    }
    parentPort!.postMessage({ id: req.id, result } satisfies ClientReply);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message } satisfies ClientReply);
  }
});
