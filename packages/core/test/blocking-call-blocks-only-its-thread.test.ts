import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { beforeAll, expect, test } from 'vitest';
import {
  SleepEx, WAIT_IO_COMPLETION, WSABUF, WSAOVERLAPPED, WSARecv, WSA_IO_PENDING, WSAGetLastError, SOCKET_ERROR, send,
} from '../src/index.js';
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

test('a worker\'s blocking wait is alertable for the worker only: this thread\'s queued routine waits for this thread', async () => {
  const p = tcpPair(), mine = tcpPair();
  const ran: number[] = [];
  expect(WSARecv(mine.server, [new WSABUF(8, Buffer.alloc(8))], 1, null, { value: 0 }, new WSAOVERLAPPED(),
    (_e, n) => ran.push(n))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  send(mine.client, Buffer.from('queued'), 6, 0);
  await new Promise((r) => setTimeout(r, 20)); // completed: its routine is queued to this thread
  const worker = new Worker(new URL('./fixtures/blocking-recv-worker.mjs', import.meta.url), {
    workerData: { socket: p.server },
  });
  const messages: Array<Record<string, unknown>> = [];
  worker.on('message', (m) => messages.push(m));
  await once(worker, 'message');
  await new Promise((r) => setTimeout(r, 20)); // the worker is in its (alertable) wait
  expect(send(p.client, Buffer.from('go'), 2, 0)).toBe(2);
  await once(worker, 'exit');
  expect(messages[1]).toEqual({ n: 2, error: 0, text: 'go' });
  expect(ran).toEqual([]);
  expect(await SleepEx(0, true)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toEqual([6]);
  p.close();
  mine.close();
});
