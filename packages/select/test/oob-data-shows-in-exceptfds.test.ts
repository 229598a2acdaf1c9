import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, MAKEWORD, WSADATA, MSG_OOB, SOL_SOCKET, SO_OOBINLINE, fd_set, FD_SET, select, timeval, send, recv,
  setsockopt,
} from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('urgent data alone shows in exceptfds only, and recv(MSG_OOB) returns the byte', async () => {
  const { client, server } = tcpPair();
  const r = new fd_set();
  const e = new fd_set();
  FD_SET(server, r); FD_SET(server, e);
  const pending = select(0, r, null, e, new timeval(5, 0));
  send(client, Buffer.from('!'), 1, MSG_OOB);
  expect(await pending).toBe(1);
  expect([r.fd_count, e.fd_count]).toEqual([0, 1]);
  const b = Buffer.alloc(1);
  expect(recv(server, b, 1, MSG_OOB)).toBe(1);
  expect(b.toString()).toBe('!');
});

test('with SO_OOBINLINE the urgent byte is ordinary data: readfds, not exceptfds', async () => {
  const { client, server } = tcpPair();
  expect(setsockopt(server, SOL_SOCKET, SO_OOBINLINE, { value: 1 }, 4)).toBe(0);
  send(client, Buffer.from('!'), 1, MSG_OOB);
  const arrived = new fd_set();
  FD_SET(server, arrived);
  expect(await select(0, arrived, null, null, new timeval(5, 0))).toBe(1);  // the byte is here first
  const r = new fd_set();
  const e = new fd_set();
  FD_SET(server, r); FD_SET(server, e);
  expect(await select(0, r, null, e, new timeval(0, 0))).toBe(1);
  expect([r.fd_count, e.fd_count]).toEqual([1, 0]);
});
