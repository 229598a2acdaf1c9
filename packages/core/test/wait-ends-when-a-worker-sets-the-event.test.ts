import { beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import {
  WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, WSA_WAIT_EVENT_0,
  WSA_INFINITE, FALSE, WSASetEvent, WSAResetEvent, WSA_WAIT_TIMEOUT,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

// The worker loads the built package (turbo builds it before tests), as a program's worker would.
const dist = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

test('handles are process-wide: a wait on the main thread ends when a worker sets the event', async () => {
  const ev = WSACreateEvent();
  const waiting = WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, FALSE);
  const worker = new Worker(
    `const core = require(${JSON.stringify(dist)});
     const { parentPort, workerData } = require('node:worker_threads');
     parentPort.postMessage(core.WSASetEvent(workerData));`,
    { eval: true, workerData: ev },
  );
  const setOk = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  expect(setOk).toBe(true);
  expect(await waiting).toBe(WSA_WAIT_EVENT_0);
  await worker.terminate();
  WSACloseEvent(ev);
});

test('a worker waiting on an event ends when the main thread sets it', async () => {
  const ev = WSACreateEvent();
  const worker = new Worker(
    `const core = require(${JSON.stringify(dist)});
     const { parentPort, workerData } = require('node:worker_threads');
     core.WSAWaitForMultipleEvents(1, [workerData], 0, 0xffffffff, 0).then((r) => parentPort.postMessage(r));
     parentPort.postMessage('parked');`,
    { eval: true, workerData: ev },
  );
  const messages: unknown[] = [];
  const done = new Promise((resolve, reject) => {
    worker.on('message', (m) => { messages.push(m); if (m === 'parked') import('../src/index.js').then((c) => c.WSASetEvent(ev)); else resolve(m); });
    worker.once('error', reject);
  });
  expect(await done).toBe(WSA_WAIT_EVENT_0);
  await worker.terminate();
  WSACloseEvent(ev);
});

test('an event\'s state is one for every thread: a worker\'s reset and set are what the next wait here sees', async () => {
  // Resets and waits whose answer is known are answered in TypeScript from memory every thread
  // shares (events.cc): the worker's reset must be seen here at once, and so must its set.
  const ev = WSACreateEvent();
  expect(WSASetEvent(ev)).toBe(true);
  const worker = new Worker(
    `const core = require(${JSON.stringify(dist)});
     const { parentPort, workerData } = require('node:worker_threads');
     parentPort.on('message', (m) => parentPort.postMessage(m === 'reset' ? core.WSAResetEvent(workerData) : core.WSASetEvent(workerData)));
     parentPort.postMessage('ready');`,
    { eval: true, workerData: ev },
  );
  const ask = (m?: string) => new Promise((resolve, reject) => {
    worker.once('message', resolve); worker.once('error', reject);
    if (m) worker.postMessage(m);
  });
  expect(await ask()).toBe('ready');
  expect(await ask('reset')).toBe(true);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  expect(await ask('set')).toBe(true);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(WSAResetEvent(ev)).toBe(true);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  await worker.terminate();
  WSACloseEvent(ev);
});
