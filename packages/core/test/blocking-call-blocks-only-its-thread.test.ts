import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { beforeAll, expect, test } from 'vitest';
import { send } from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('a blocking recv in a worker blocks that worker only: this thread keeps running and then feeds it', async () => {
  const p = tcpPair();
  const worker = new Worker(new URL('./fixtures/blocking-recv-worker.mjs', import.meta.url), {
    workerData: { socket: p.server },
  });
  const messages: Array<Record<string, unknown>> = [];
  worker.on('message', (m) => messages.push(m));
  await once(worker, 'message'); // started, and about to block in recv
  // This thread's event loop still turns while the worker sits in recv.
  let ticks = 0;
  for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 5)); ticks++; }
  expect(ticks).toBe(5);
  expect(messages).toHaveLength(1);
  expect(send(p.client, Buffer.from('from main'), 9, 0)).toBe(9);
  await once(worker, 'exit');
  expect(messages[1]).toEqual({ n: 9, error: 0, text: 'from main' });
  p.close();
});
