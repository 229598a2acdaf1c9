// readfds: a pending connection to accept, data to recv, a graceful close, a reset.
import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, MAKEWORD, WSADATA, SOCKET_ERROR, SOL_SOCKET, SO_LINGER, LINGER, fd_set, FD_SET, FD_ISSET, select,
  timeval, send, recv, shutdown, SD_SEND, closesocket, connect, setsockopt, sizeof, sendto, SOCK_DGRAM, AF_INET,
  bind, getsockname, WSAGetLastError, WSAECONNRESET,
} from '../src/index.js';
import { closeAll, listener, loopback, open, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('a listening socket is readable once a connection waits to be accepted', async () => {
  const { s, addr } = listener();
  const r = new fd_set();
  FD_SET(s, r);
  expect(await select(0, r, null, null, new timeval(0, 0))).toBe(0);
  const pending = (() => { const r2 = new fd_set(); FD_SET(s, r2); return { r2, p: select(0, r2, null, null, null) }; })();
  const c = open();
  expect(connect(c, addr, sizeof(addr))).toBe(0);
  expect(await pending.p).toBe(1);
  expect(FD_ISSET(s, pending.r2)).toBe(1);
});

test('a connected socket is readable when data waits, and not before', async () => {
  const { client, server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  expect(await select(0, r, null, null, new timeval(0, 0))).toBe(0);
  send(client, Buffer.from('abc'), 3, 0);
  FD_SET(server, r);
  expect(await select(0, r, null, null, new timeval(5, 0))).toBe(1);
  expect(FD_ISSET(server, r)).toBe(1);
});

test('a graceful close by the peer is readable, and recv then returns 0', async () => {
  const { client, server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  const pending = select(0, r, null, null, null);
  shutdown(client, SD_SEND);
  expect(await pending).toBe(1);
  expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(0);
});

test('a reset is reported in readfds and writefds, not exceptfds; recv then fails with WSAECONNRESET', async () => {
  const { client, server } = tcpPair();
  const r = new fd_set();
  const w = new fd_set();
  const e = new fd_set();
  FD_SET(server, r);
  const pending = select(0, r, null, null, null);
  const l = new LINGER();
  l.l_onoff = 1; l.l_linger = 0;  // abortive close: RST
  expect(setsockopt(client, SOL_SOCKET, SO_LINGER, l, sizeof(l))).toBe(0);
  closesocket(client);
  expect(await pending).toBe(1);
  FD_SET(server, r); FD_SET(server, w); FD_SET(server, e);
  expect(await select(0, r, w, e, new timeval(0, 0))).toBe(2);
  expect([r.fd_count, w.fd_count, e.fd_count]).toEqual([1, 1, 0]);
  expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAECONNRESET);
});

test('a datagram socket is readable when a datagram waits', async () => {
  const a = open(AF_INET, SOCK_DGRAM);
  const b = open(AF_INET, SOCK_DGRAM);
  const addr = loopback();
  bind(a, addr, sizeof(addr));
  getsockname(a, addr, { value: sizeof(addr) });
  const r = new fd_set();
  FD_SET(a, r);
  const pending = select(0, r, null, null, new timeval(5, 0));
  sendto(b, Buffer.from('d'), 1, 0, addr, sizeof(addr));
  expect(await pending).toBe(1);
});

test('after one wake every ready socket is reported, not only the first', async () => {
  const pairs = [tcpPair(), tcpPair(), tcpPair()];
  const r = new fd_set();
  for (const p of pairs) FD_SET(p.server, r);
  const pending = select(0, r, null, null, null);
  setTimeout(() => { for (const p of pairs) send(p.client, Buffer.from('z'), 1, 0); }, 10);
  expect(await pending).toBe(3);
  expect(Array.from(r.fd_array.subarray(0, 3))).toEqual(pairs.map((p) => p.server));
});
