// Waits over the same handle array again and again reuse what the last wait resolved (events.cc,
// ResolvedList). That must never hide a change: a handle closed since, an element replaced, a shorter
// count, or another thread's close.
import { Worker } from 'node:worker_threads';
import { beforeAll, expect, test } from 'vitest';
import {
  FALSE, WSACloseEvent, WSACreateEvent, WSAGetLastError, WSAResetEvent, WSASetEvent, WSAWaitForMultipleEvents,
  WSA_INVALID_HANDLE, WSA_WAIT_EVENT_0, WSA_WAIT_FAILED, WSA_WAIT_TIMEOUT,
} from '../src/index.js';
import { startup } from './helpers.js';

beforeAll(startup);

test('a handle closed between two waits over the same array fails the second with WSA_INVALID_HANDLE', async () => {
  const evs = Array.from({ length: 10 }, () => WSACreateEvent());
  WSASetEvent(evs[7]!);
  expect(await WSAWaitForMultipleEvents(10, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 7);
  expect(await WSAWaitForMultipleEvents(10, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 7);
  WSACloseEvent(evs[3]!);
  expect(await WSAWaitForMultipleEvents(10, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  for (const [i, e] of evs.entries()) if (i !== 3) WSACloseEvent(e);
});

test('an element replaced in place, or a shorter count, is seen by the next wait', async () => {
  const evs = Array.from({ length: 5 }, () => WSACreateEvent());
  const spare = WSACreateEvent();
  WSASetEvent(evs[4]!);
  expect(await WSAWaitForMultipleEvents(5, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 4);
  WSASetEvent(spare);
  const old = evs[1]!;
  evs[1] = spare;
  expect(await WSAWaitForMultipleEvents(5, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 1);
  WSAResetEvent(spare);
  expect(await WSAWaitForMultipleEvents(4, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  for (const e of [...evs, old]) WSACloseEvent(e);
});

test('a close made by another thread is seen by the next wait over the same array', async () => {
  const evs = [WSACreateEvent(), WSACreateEvent()];
  expect(await WSAWaitForMultipleEvents(2, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     import(workerData.core).then((c) => parentPort.postMessage(c.WSACloseEvent(workerData.h)));`,
    { eval: true, workerData: { h: evs[0], core: new URL('../dist/index.js', import.meta.url).href } },
  );
  const closed = await new Promise((res, rej) => { worker.once('message', res); worker.once('error', rej); });
  await worker.terminate();
  expect(closed).toBe(true);
  expect(await WSAWaitForMultipleEvents(2, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  WSACloseEvent(evs[1]!);
});
