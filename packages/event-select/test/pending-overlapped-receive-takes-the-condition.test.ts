// A queued overlapped receive (AcceptEx) takes what arrives, so FD_READ (FD_ACCEPT) is not recorded for
// it (winsock-spec §3.3); once nothing is queued, the condition is recorded again as usual.
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  AF_INET, AcceptEx, FD_ACCEPT, FD_READ, SOCK_STREAM, SOCKET_ERROR, WSABUF, WSACloseEvent, WSACreateEvent,
  WSAEventSelect, WSAGetLastError, WSAGetOverlappedResult, WSAOVERLAPPED, WSARecv, WSA_IO_PENDING, closesocket, send,
  socket, FALSE,
} from '../src/index.js';
import { dial, listener, loopTurns, pair, startup } from '@winsock-models/testing';
import { enumerate, signalled } from './helpers.js';

beforeAll(startup);
const events: number[] = [];
afterAll(() => { for (const e of events) WSACloseEvent(e); });

test('data taken by a pending overlapped WSARecv records no FD_READ; later data does', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  events.push(ev);
  expect(WSAEventSelect(server, ev, FD_READ)).toBe(0);
  const ov = new WSAOVERLAPPED();
  const buf = Buffer.alloc(16);
  expect(WSARecv(server, new WSABUF(16, buf), 1, null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  send(client, Buffer.from('taken'), 5, 0);
  const n = { value: 0 };
  expect(await WSAGetOverlappedResult(server, ov, n, true, { value: 0 })).toBe(1);
  expect(buf.subarray(0, n.value).toString()).toBe('taken');
  await loopTurns();  // the data came and went: a poll since would have recorded it
  expect(await signalled(ev, 0)).toBe(false);
  expect(enumerate(server, ev).lNetworkEvents & FD_READ).toBe(0);
  send(client, Buffer.from('free'), 4, 0); // nothing queued now: recorded as usual
  expect(await signalled(ev, 5000)).toBe(true);
  expect(enumerate(server, ev).lNetworkEvents & FD_READ).toBe(FD_READ);
  for (const s of [client, server, ls]) closesocket(s);
});

test('a connection taken by a pending AcceptEx records no FD_ACCEPT on the listener', async () => {
  const { ls, addr } = listener();
  const ev = WSACreateEvent();
  events.push(ev);
  expect(WSAEventSelect(ls, ev, FD_ACCEPT)).toBe(0);
  const accepted = socket(AF_INET, SOCK_STREAM, 0);
  const ov = new WSAOVERLAPPED();
  expect(AcceptEx(ls, accepted, Buffer.alloc(64), 0, 32, 32, null, ov)).toBe(FALSE);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  const c = dial(addr);
  expect(await WSAGetOverlappedResult(ls, ov, { value: 0 }, true, { value: 0 })).toBe(1);
  await loopTurns();
  expect(await signalled(ev, 0)).toBe(false);
  expect(enumerate(ls, ev).lNetworkEvents & FD_ACCEPT).toBe(0);
  for (const s of [c, accepted, ls]) closesocket(s);
});
