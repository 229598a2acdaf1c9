// Waits over the same handle array again and again reuse what the last wait over it resolved
// (events.cc, ResolvedList, one per array). That must never hide a change: a handle closed since, an
// element replaced, a shorter count, another thread's close, or another array waited in between.
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

test('an element replaced past the signalled one is checked all the same', async () => {
  // Windows checks every handle of a wait before it looks for a signalled one: a bad handle anywhere
  // fails the call, even when an earlier one is signalled.
  // The handle put in was closed before the first wait: no close happens between the two waits.
  const gone = WSACreateEvent();
  WSACloseEvent(gone);
  const evs = Array.from({ length: 8 }, () => WSACreateEvent());
  WSASetEvent(evs[1]!);
  expect(await WSAWaitForMultipleEvents(8, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 1);
  expect(await WSAWaitForMultipleEvents(8, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 1);
  const old = evs[6]!;
  evs[6] = gone;
  expect(await WSAWaitForMultipleEvents(8, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  evs[6] = old;
  expect(await WSAWaitForMultipleEvents(8, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 1);
  for (const e of evs) WSACloseEvent(e);
});

test('every element of 64 is checked, whatever its place and wherever the signalled one is', async () => {
  // A vouched array is read and compared in blocks of 8 and a tail: a replaced handle is seen in every
  // place of every block, before the signalled one, past it, and in its place.
  const gone = WSACreateEvent();
  WSACloseEvent(gone);
  const evs = Array.from({ length: 64 }, () => WSACreateEvent());
  let failures = 0, checked = 0;
  for (const signalled of [0, 1, 5, 50]) {
    WSASetEvent(evs[signalled]!);
    expect(await WSAWaitForMultipleEvents(64, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + signalled);
    for (let p = 0; p < 64; p++) {
      const old = evs[p]!;
      evs[p] = gone;
      if (await WSAWaitForMultipleEvents(64, evs, FALSE, 0, FALSE) === WSA_WAIT_FAILED &&
          WSAGetLastError() === WSA_INVALID_HANDLE) failures++;
      evs[p] = old;
      expect(await WSAWaitForMultipleEvents(64, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + signalled);
      checked++;
    }
    WSAResetEvent(evs[signalled]!);
  }
  expect(checked).toBe(4 * 64);
  expect(failures).toBe(checked);
  for (const e of evs) WSACloseEvent(e);
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

test('many arrays waited by turns each see their own contents, changes and closes', async () => {
  // More arrays than native code keeps resolutions for (arrays of 8 or more handles get their own
  // entry), and short ones sharing one entry: entries are shared and must still be right.
  const K = 10;
  const arrays = Array.from({ length: 80 }, (_, i) => Array.from({ length: i % 2 ? K : 3 }, () => WSACreateEvent()));
  const expected = (i: number) => i % arrays[i]!.length;
  arrays.forEach((evs, i) => WSASetEvent(evs[expected(i)]!));
  for (let round = 0; round < 3; round++) {
    for (const [i, evs] of arrays.entries()) {
      expect(await WSAWaitForMultipleEvents(evs.length, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + expected(i));
    }
  }
  // A change to one array between its waits, with another waited in between.
  const [a, b] = [arrays[5]!, arrays[7]!];
  WSAResetEvent(a[expected(5)]!);
  expect(await WSAWaitForMultipleEvents(K, b, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + expected(7));
  expect(await WSAWaitForMultipleEvents(K, a, FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  const replacement = WSACreateEvent();
  WSASetEvent(replacement);
  const old = a[0]!;
  a[0] = replacement;
  expect(await WSAWaitForMultipleEvents(K, b, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + expected(7));
  expect(await WSAWaitForMultipleEvents(K, a, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0);
  const closed = b[2]!;
  WSACloseEvent(closed);
  expect(await WSAWaitForMultipleEvents(K, a, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(await WSAWaitForMultipleEvents(K, b, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  WSACloseEvent(old);
  for (const evs of arrays) for (const e of evs) if (e !== closed) WSACloseEvent(e);
});
