import { afterEach, beforeAll, expect, test } from 'vitest';
import { WSAStartup, MAKEWORD, WSADATA, fd_set, FD_ZERO, FD_SET, FD_ISSET, select, timeval, send, recv } from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('smoke', async () => {
  const { client, server } = tcpPair();
  const r = new fd_set();
  FD_ZERO(r); FD_SET(server, r);
  expect(await select(0, r, null, null, new timeval(0, 0))).toBe(0);
  FD_SET(server, r);
  const p = select(0, r, null, null, null);
  setTimeout(() => send(client, Buffer.from('hi'), 2, 0), 20);
  expect(await p).toBe(1);
  expect(FD_ISSET(server, r)).toBe(1);
  const b = Buffer.alloc(10);
  expect(recv(server, b, 10, 0)).toBe(2);
  FD_ZERO(r); FD_SET(server, r);
  expect(await select(0, r, null, null, new timeval(0, 50000))).toBe(0);
});
