import { beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents,
  WSA_WAIT_EVENT_0, WSA_INFINITE, WSA_MAXIMUM_WAIT_EVENTS, FALSE,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('with several signalled, the wait returns WSA_WAIT_EVENT_0 + the lowest index', async () => {
  const evs = Array.from({ length: WSA_MAXIMUM_WAIT_EVENTS }, () => WSACreateEvent());
  WSASetEvent(evs[40]!);
  WSASetEvent(evs[7]!);
  WSASetEvent(evs[63]!);
  expect(await WSAWaitForMultipleEvents(64, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0 + 7);
  WSAResetEvent(evs[7]!);
  expect(await WSAWaitForMultipleEvents(64, evs, FALSE, WSA_INFINITE, FALSE)).toBe(WSA_WAIT_EVENT_0 + 40);
  // Only the first cEvents handles count.
  expect(await WSAWaitForMultipleEvents(40, evs, FALSE, 0, FALSE)).toBe(258);
  for (const h of evs) WSACloseEvent(h);
});

test('a parked wait ends with the index of the event set later, and typed arrays of handles work too', async () => {
  const evs = [WSACreateEvent(), WSACreateEvent(), WSACreateEvent()];
  const waiting = WSAWaitForMultipleEvents(3, Uint32Array.from(evs), FALSE, WSA_INFINITE, FALSE);
  setTimeout(() => WSASetEvent(evs[2]!), 20);
  expect(await waiting).toBe(WSA_WAIT_EVENT_0 + 2);
  for (const h of evs) WSACloseEvent(h);
});

test('two waits parked on one event both end when it is set', async () => {
  const ev = WSACreateEvent();
  const other = WSACreateEvent();
  const a = WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, FALSE);
  const b = WSAWaitForMultipleEvents(2, [other, ev], FALSE, WSA_INFINITE, FALSE);
  WSASetEvent(ev);
  expect(await Promise.all([a, b])).toEqual([WSA_WAIT_EVENT_0, WSA_WAIT_EVENT_0 + 1]);
  WSACloseEvent(ev);
  WSACloseEvent(other);
});
