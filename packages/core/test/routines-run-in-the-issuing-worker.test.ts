import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { beforeAll, expect, test } from 'vitest';
import { SleepEx, send } from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('a routine for I/O issued in a worker runs in that worker\'s alertable wait, never in this thread', async () => {
  const p = tcpPair();
  const worker = new Worker(new URL('./fixtures/routine-worker.mjs', import.meta.url), { workerData: { socket: p.server } });
  const messages: Array<Record<string, unknown>> = [];
  worker.on('message', (m) => messages.push(m));
  await once(worker, 'message');
  const workerThread = worker.threadId;
  expect(await SleepEx(10, true)).toBe(0); // our alertable wait finds nothing to run
  send(p.client, Buffer.from('to worker'), 9, 0);
  await once(worker, 'exit');
  expect(messages.slice(1)).toEqual([{ ranIn: workerThread, err: 0, text: 'to worker' }, { sleepResult: 0xc0 }]);
  p.close();
});
