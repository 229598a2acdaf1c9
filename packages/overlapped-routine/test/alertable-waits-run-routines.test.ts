import { beforeAll, expect, test } from 'vitest';
import {
  FALSE, GetCurrentThread, QueueUserAPC, SleepEx, TRUE, WSABUF, WSACloseEvent, WSACreateEvent, WSAOVERLAPPED, WSARecv,
  WSASetEvent, WSAWaitForMultipleEvents, WSA_INFINITE, WSA_WAIT_EVENT_0, WSA_WAIT_IO_COMPLETION, WSA_WAIT_TIMEOUT,
  WAIT_IO_COMPLETION, send,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('an alertable WSAWaitForMultipleEvents runs queued APCs at once and returns WSA_WAIT_IO_COMPLETION', async () => {
  const ev = WSACreateEvent();
  const ran: string[] = [];
  QueueUserAPC((x: string) => ran.push(x), GetCurrentThread(), 'a');
  QueueUserAPC((x: string) => ran.push(x), GetCurrentThread(), 'b');
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT); // not alertable
  expect(ran).toEqual([]);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, TRUE)).toBe(WSA_WAIT_IO_COMPLETION);
  expect(ran).toEqual(['a', 'b']);
  WSACloseEvent(ev);
});

test('a completion routine arriving during an alertable wait ends it with WSA_WAIT_IO_COMPLETION', async () => {
  const p = tcpPair();
  const ev = WSACreateEvent();
  const got: number[] = [];
  WSARecv(p.server, [new WSABUF(8, Buffer.alloc(8))], 1, null, { value: 0 }, new WSAOVERLAPPED(), (e, n) => got.push(e, n));
  const wait = WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, TRUE);
  send(p.client, Buffer.from('abc'), 3, 0);
  expect(await wait).toBe(WSA_WAIT_IO_COMPLETION);
  expect(got).toEqual([0, 3]);
  WSACloseEvent(ev);
  p.close();
  expect(await SleepEx(0, TRUE)).toBe(0); // the receive had completed: nothing is left to abort
});

test('the objects are tested first: a signalled event wins, and the APC waits for the next alertable wait', async () => {
  const ev = WSACreateEvent();
  WSASetEvent(ev);
  let ran = 0;
  QueueUserAPC(() => { ran++; }, GetCurrentThread(), null);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, TRUE)).toBe(WSA_WAIT_EVENT_0);
  expect(ran).toBe(0);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toBe(1);
  WSACloseEvent(ev);
});

test('a non-alertable wait never runs APCs, even while it waits', async () => {
  const ev = WSACreateEvent();
  let ran = 0;
  const wait = WSAWaitForMultipleEvents(1, [ev], FALSE, 30, FALSE);
  QueueUserAPC(() => { ran++; }, GetCurrentThread(), null);
  expect(await wait).toBe(WSA_WAIT_TIMEOUT);
  expect(ran).toBe(0);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toBe(1);
  WSACloseEvent(ev);
});
