import { beforeAll, expect, test } from 'vitest';
import {
  FALSE, SOCKET_ERROR, WSABUF, WSACloseEvent, WSACreateEvent, WSAGetLastError, WSAGetOverlappedResult, WSAOVERLAPPED,
  WSARecv, WSASend, WSASetEvent, WSAWaitForMultipleEvents, WSA_INFINITE, WSA_IO_PENDING, WSA_WAIT_EVENT_0,
  WSA_WAIT_TIMEOUT, send,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

const signalled = async (ev: number) => (await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)) === WSA_WAIT_EVENT_0;

test('an immediate completion returns 0 and still sets hEvent', async () => {
  const p = tcpPair();
  const ev = WSACreateEvent();
  const ov = new WSAOVERLAPPED();
  ov.hEvent = ev;
  const sent = { value: 0 };
  expect(WSASend(p.client, [new WSABUF(3, Buffer.from('now'))], 1, sent, 0, ov)).toBe(0);
  expect(sent.value).toBe(3);
  expect(await signalled(ev)).toBe(true);
  WSACloseEvent(ev);
  p.close();
});

test('issuing resets hEvent; a pending receive sets it on completion, and the wait wakes for it', async () => {
  const p = tcpPair();
  const ev = WSACreateEvent();
  WSASetEvent(ev); // stale signal from earlier work: issuing the request clears it
  const ov = new WSAOVERLAPPED();
  ov.hEvent = ev;
  const buf = Buffer.alloc(8);
  expect(WSARecv(p.server, [new WSABUF(8, buf)], 1, null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  expect(await signalled(ev)).toBe(false);
  const wait = WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, FALSE);
  send(p.client, Buffer.from('wake'), 4, 0);
  expect(await wait).toBe(WSA_WAIT_EVENT_0);
  const n = { value: 0 };
  expect(WSAGetOverlappedResult(p.server, ov, n, FALSE, { value: 0 })).toBe(1);
  expect([n.value, buf.subarray(0, 4).toString()]).toEqual([4, 'wake']);
  WSACloseEvent(ev);
  p.close();
});

test('with a completion routine, hEvent is the caller\'s: it is neither reset nor set', async () => {
  const p = tcpPair();
  const ev = WSACreateEvent();
  const ov = new WSAOVERLAPPED();
  ov.hEvent = ev;
  expect(WSASend(p.client, [new WSABUF(2, Buffer.from('hi'))], 1, { value: 0 }, 0, ov, () => {})).toBe(0);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  WSASetEvent(ev);
  expect(WSARecv(p.server, [new WSABUF(2, Buffer.alloc(2))], 1, null, { value: 0 }, ov, () => {})).toBe(0);
  expect(await signalled(ev)).toBe(true);
  WSACloseEvent(ev);
  p.close();
});
