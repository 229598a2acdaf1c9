// Four worker threads wait on one port: every packet is dequeued exactly once under load; waiters are
// released most recent first and never more than NumberOfConcurrentThreads at once (a thread counts as
// released until it calls GetQueuedCompletionStatus again); closing the port wakes every waiter with
// ERROR_ABANDONED_WAIT_0; a worker terminated while waiting takes no packet with it.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import {
  CreateIoCompletionPort, GetQueuedCompletionStatus, PostQueuedCompletionStatus, CloseHandle, GetLastError,
  INVALID_HANDLE_VALUE, WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0, ERROR_INVALID_HANDLE, INFINITE,
} from '../src/index.js';
import { startup } from './helpers.js';

const fixture = new URL('./fixtures/port-worker.mjs', import.meta.url);
let workers: Worker[] = [];
beforeAll(startup);
afterEach(async () => { await Promise.all(workers.map((w) => w.terminate())); workers = []; });

function start(n: number, data: object): Worker[] {
  workers = Array.from({ length: n }, () => new Worker(fixture, { workerData: data }));
  return workers;
}
const next = (w: Worker) => once(w, 'message').then(([m]) => m as Record<string, number>);
// Every message of a worker, in order: take() resolves with the next one.
function messages(w: Worker): () => Promise<Record<string, number>> {
  const queue: Record<string, number>[] = [];
  const takers: ((m: Record<string, number>) => void)[] = [];
  w.on('message', (m) => { const t = takers.shift(); if (t) t(m); else queue.push(m); });
  return () => queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => takers.push(r));
}

test('4,000 packets through 4 workers: each dequeued exactly once', async () => {
  const N = 4_000;
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  const counts = new Int32Array(new SharedArrayBuffer(4 * N));
  const ws = start(4, { hcp, counts, stop: -1 });
  const done = ws.map(next);
  for (const w of ws) w.postMessage({ op: 'loop' });
  for (let k = 0; k < N; k++) expect(PostQueuedCompletionStatus(hcp, k & 0xffff, k, null)).toBe(1);
  for (let i = 0; i < 4; i++) PostQueuedCompletionStatus(hcp, 0, -1, null);
  const perWorker = (await Promise.all(done)).map((m) => m.done!);
  expect(perWorker.reduce((a, b) => a + b, 0)).toBe(N);
  expect(counts.every((c) => c === 1)).toBe(true);
  CloseHandle(hcp);
});

test('LIFO release within the concurrency limit, a returning thread served first, close wakes all waiters', async () => {
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 2);
  const gate = new Int32Array(new SharedArrayBuffer(16));
  workers = Array.from({ length: 4 }, (_, id) => new Worker(fixture, { workerData: { hcp, stop: -1, gate, id } }));
  const inbox = workers.map(messages);
  const open = (i: number) => { Atomics.store(gate, i, 1); Atomics.notify(gate, i); };
  // Park w0, w1, w2, w3 in that order: each has called GetQueuedCompletionStatus before the next does.
  // A worker that gets a packet stays busy (blocked in JavaScript) until the test opens its gate.
  for (let i = 0; i < 4; i++) {
    workers[i]!.postMessage({ op: 'wait', hold: true });
    expect(await inbox[i]!()).toEqual({ parked: true });
  }
  for (let k = 1; k <= 4; k++) PostQueuedCompletionStatus(hcp, 0, k, null);
  // The most recent waiters go first: w3 takes key 1, w2 key 2; then the limit (2) holds the rest.
  expect(await inbox[3]!()).toEqual({ result: 1, key: 1, error: 0 });
  expect(await inbox[2]!()).toEqual({ result: 1, key: 2, error: 0 });
  const bytes = { value: 0 }, key = { value: 0 }, ov = { value: null };
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov, 0)).toBe(0);  // 2 packets queued, 2 running
  expect(GetLastError()).toBe(WAIT_TIMEOUT);
  // w3 comes back and takes the next packet itself, without waiting (w0 and w1 still wait); then w2.
  open(3);
  expect(await inbox[3]!()).toEqual({ parked: true });
  expect(await inbox[3]!()).toEqual({ result: 1, key: 3, error: 0 });
  open(2);
  expect(await inbox[2]!()).toEqual({ parked: true });
  expect(await inbox[2]!()).toEqual({ result: 1, key: 4, error: 0 });
  // w0 and w1 wait since the start; closing the port ends both waits; w2 and w3, back, find no port.
  expect(CloseHandle(hcp)).toBe(1);
  expect(await inbox[0]!()).toEqual({ result: 0, key: 0, error: ERROR_ABANDONED_WAIT_0 });
  expect(await inbox[1]!()).toEqual({ result: 0, key: 0, error: ERROR_ABANDONED_WAIT_0 });
  open(3);
  open(2);
  expect(await inbox[3]!()).toEqual({ parked: true });
  expect(await inbox[3]!()).toEqual({ result: 0, key: 0, error: ERROR_INVALID_HANDLE });
});

test('a worker terminated while waiting takes no packet with it', async () => {
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  const [w] = start(1, { hcp, stop: -1 });
  const parked = next(w!);
  w!.postMessage({ op: 'wait' });
  await parked;
  await w!.terminate();
  expect(PostQueuedCompletionStatus(hcp, 3, 77, null)).toBe(1);
  const bytes = { value: 0 }, key = { value: 0 }, ov = { value: null };
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov, INFINITE)).toBe(1);
  expect([bytes.value, key.value]).toEqual([3, 77]);
  CloseHandle(hcp);
});
