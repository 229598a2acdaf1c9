// WaitForSingleObject(Ex) and WaitForMultipleObjects(Ex) wait on event handles as
// WSAWaitForMultipleEvents does, with Win32's names for the same results; the Ex forms are alertable.
import { beforeAll, expect, test } from 'vitest';
import {
  INFINITE, QueueUserAPC, GetCurrentThread, WAIT_FAILED, WAIT_IO_COMPLETION, WAIT_OBJECT_0, WAIT_TIMEOUT,
  WSACloseEvent, WSACreateEvent, WSAGetLastError, WSASetEvent, WSA_INVALID_HANDLE, WaitForMultipleObjects,
  WaitForMultipleObjectsEx, WaitForSingleObject, WaitForSingleObjectEx, MAXIMUM_WAIT_OBJECTS,
  WSA_MAXIMUM_WAIT_EVENTS,
} from '../src/index.js';
import { startup } from './helpers.js';

beforeAll(startup);

test('Win32 wait results are the WSA_WAIT_* numbers', () => {
  expect([WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_IO_COMPLETION, WAIT_FAILED]).toEqual([0, 0x102, 0xc0, 0xffffffff]);
  expect(MAXIMUM_WAIT_OBJECTS).toBe(WSA_MAXIMUM_WAIT_EVENTS);
});

test('WaitForSingleObject returns WAIT_TIMEOUT, then WAIT_OBJECT_0 once the event is set; a closed handle fails', async () => {
  const ev = WSACreateEvent();
  expect(await WaitForSingleObject(ev, 10)).toBe(WAIT_TIMEOUT);
  setTimeout(() => WSASetEvent(ev), 10);
  expect(await WaitForSingleObject(ev, INFINITE)).toBe(WAIT_OBJECT_0);
  expect(WSACloseEvent(ev)).toBe(true);
  expect(await WaitForSingleObject(ev, 0)).toBe(WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
});

test('WaitForMultipleObjects gives the lowest signalled index, and with bWaitAll waits for every one', async () => {
  const evs = [WSACreateEvent(), WSACreateEvent(), WSACreateEvent()];
  WSASetEvent(evs[2]!);
  WSASetEvent(evs[1]!);
  expect(await WaitForMultipleObjects(3, evs, false, 0)).toBe(WAIT_OBJECT_0 + 1);
  expect(await WaitForMultipleObjects(3, evs, true, 10)).toBe(WAIT_TIMEOUT);
  WSASetEvent(evs[0]!);
  expect(await WaitForMultipleObjects(3, evs, true, 0)).toBe(WAIT_OBJECT_0);
  for (const ev of evs) WSACloseEvent(ev);
});

test('only the Ex forms are alertable: they run queued APCs and return WAIT_IO_COMPLETION', async () => {
  const ev = WSACreateEvent();
  const ran: string[] = [];
  QueueUserAPC((d: string) => ran.push(d), GetCurrentThread(), 'apc');
  expect(await WaitForSingleObject(ev, 10)).toBe(WAIT_TIMEOUT);
  expect(await WaitForMultipleObjects(1, [ev], false, 10)).toBe(WAIT_TIMEOUT);
  expect(ran).toEqual([]);
  expect(await WaitForSingleObjectEx(ev, INFINITE, true)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toEqual(['apc']);
  QueueUserAPC((d: string) => ran.push(d), GetCurrentThread(), 'again');
  expect(await WaitForMultipleObjectsEx(1, [ev], false, INFINITE, true)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toEqual(['apc', 'again']);
  WSACloseEvent(ev);
});
