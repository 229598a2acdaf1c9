// Output rules: each set keeps, in its original order, only its ready sockets; a socket listed twice
// is reported once; the count is the number of (socket, set) pairs; one fd_set passed as two sets
// receives both answers, merged.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { WSAStartup, MAKEWORD, WSADATA, fd_set, FD_SET, select, timeval, send, type SOCKET } from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

const members = (set: fd_set): SOCKET[] => Array.from(set.fd_array.subarray(0, set.fd_count));

test('a socket ready for read and write counts twice; each set keeps its original order', async () => {
  const a = tcpPair();
  const b = tcpPair();
  const c = tcpPair();
  send(a.client, Buffer.from('1'), 1, 0);
  send(c.client, Buffer.from('1'), 1, 0);
  const r = new fd_set();
  const w = new fd_set();
  for (const s of [c.server, b.server, a.server]) FD_SET(s, r);
  for (const s of [a.server, c.server]) FD_SET(s, w);
  expect(await select(0, r, w, null, new timeval(5, 0))).toBe(4);
  expect(members(r)).toEqual([c.server, a.server]);
  expect(members(w)).toEqual([a.server, c.server]);
});

test('a socket listed twice in one set (written past FD_SET) is reported once', async () => {
  const { client } = tcpPair();
  const w = new fd_set();
  w.fd_array[0] = client;
  w.fd_array[1] = client;
  w.fd_count = 2;
  expect(await select(0, null, w, null, new timeval(0, 0))).toBe(1);
  expect(members(w)).toEqual([client]);
});

test('the same fd_set as readfds and writefds receives the merged answer', async () => {
  const a = tcpPair();
  const b = tcpPair();
  send(b.client, Buffer.from('1'), 1, 0);
  const set = new fd_set();
  FD_SET(b.server, set);
  FD_SET(a.server, set);
  expect(await select(0, set, set, null, new timeval(5, 0))).toBe(2);
  expect(members(set)).toEqual([b.server, a.server]);
});

test('after a wait, the sets hold only what was ready', async () => {
  const a = tcpPair();
  const b = tcpPair();
  const r = new fd_set();
  FD_SET(a.server, r); FD_SET(b.server, r);
  const pending = select(0, r, null, null, null);
  setTimeout(() => send(b.client, Buffer.from('1'), 1, 0), 10);
  expect(await pending).toBe(1);
  expect(members(r)).toEqual([b.server]);
});
