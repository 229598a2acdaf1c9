import { afterEach, beforeAll, expect, test } from 'vitest';
import { WSAStartup, MAKEWORD, WSADATA, fd_set, FD_SET, select, timeval, send } from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('a {0,0} timeout checks and returns at once: 0 with every set emptied when nothing is ready', async () => {
  const { server, client } = tcpPair();
  const r = new fd_set();
  const e = new fd_set();
  FD_SET(server, r); FD_SET(client, r); FD_SET(server, e);
  expect(await select(0, r, null, e, new timeval(0, 0))).toBe(0);
  expect(r.fd_count).toBe(0);
  expect(e.fd_count).toBe(0);
});

test('a timeout that passes resolves 0 with the sets emptied and the timeval untouched', async () => {
  const { server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  const t = new timeval(0, 30_000);
  expect(await select(0, r, null, null, t)).toBe(0);
  expect(r.fd_count).toBe(0);
  expect(t.tv_sec).toBe(0);
  expect(t.tv_usec).toBe(30_000);
});

test('a socket that becomes ready before the timeout ends the wait with its count', async () => {
  const { server, client } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  const pending = select(0, r, null, null, new timeval(10, 0));
  setTimeout(() => send(client, Buffer.from('x'), 1, 0), 10);
  expect(await pending).toBe(1);
  expect(r.fd_array[0]).toBe(server);
});

test('a null timeout waits until a socket is ready', async () => {
  const { server, client } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  const pending = select(0, r, null, null, null);
  setTimeout(() => send(client, Buffer.from('x'), 1, 0), 30);
  expect(await pending).toBe(1);
});
