// writefds: a connected stream socket with send-buffer space, a non-blocking connect that succeeded,
// any datagram socket; never an unconnected, non-connecting TCP socket.
import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, MAKEWORD, WSADATA, SOCKET_ERROR, WSAEWOULDBLOCK, WSAGetLastError, AF_INET, SOCK_DGRAM, SOL_SOCKET,
  SO_ERROR, fd_set, FD_SET, FD_ISSET, select, timeval, connect, send, sizeof, getsockopt, SO_SNDBUF, setsockopt,
} from '../src/index.js';
import { closeAll, listener, nonblocking, open, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('a connected socket with send-buffer space is writable', async () => {
  const { client } = tcpPair();
  const w = new fd_set();
  FD_SET(client, w);
  expect(await select(0, null, w, null, new timeval(0, 0))).toBe(1);
  expect(FD_ISSET(client, w)).toBe(1);
});

test('a non-blocking connect that succeeds shows in writefds, with SO_ERROR 0', async () => {
  const { addr } = listener();
  const c = open();
  nonblocking(c);
  const r = connect(c, addr, sizeof(addr));
  if (r === SOCKET_ERROR) expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  const w = new fd_set();
  const e = new fd_set();
  FD_SET(c, w); FD_SET(c, e);
  expect(await select(0, null, w, e, new timeval(5, 0))).toBe(1);
  expect([w.fd_count, e.fd_count]).toEqual([1, 0]);
  const err = { value: -1 };
  expect(getsockopt(c, SOL_SOCKET, SO_ERROR, err, { value: 4 })).toBe(0);
  expect(err.value).toBe(0);
});

test('an unconnected TCP socket is neither readable nor writable (Linux would say POLLOUT|POLLHUP)', async () => {
  const s = open();
  const r = new fd_set();
  const w = new fd_set();
  const e = new fd_set();
  FD_SET(s, r); FD_SET(s, w); FD_SET(s, e);
  expect(await select(0, r, w, e, new timeval(0, 0))).toBe(0);
  // Waiting on it does not report it: a marker socket that becomes readable ends the wait alone.
  const marker = tcpPair();
  FD_SET(s, r); FD_SET(marker.server, r); FD_SET(s, w); FD_SET(s, e);
  const waiting = select(0, r, w, e, new timeval(5, 0));
  send(marker.client, Buffer.from('m'), 1, 0);
  expect(await waiting).toBe(1);
  expect([r.fd_count, r.fd_array[0], w.fd_count, e.fd_count]).toEqual([1, marker.server, 0, 0]);
});

test('a datagram socket is writable, bound or not', async () => {
  const u = open(AF_INET, SOCK_DGRAM);
  const w = new fd_set();
  FD_SET(u, w);
  expect(await select(0, null, w, null, new timeval(0, 0))).toBe(1);
});

test('a socket whose send buffer is full is not writable until the peer reads', async () => {
  const { client } = tcpPair();
  nonblocking(client);
  setsockopt(client, SOL_SOCKET, SO_SNDBUF, { value: 4096 }, 4);
  const chunk = Buffer.alloc(65536, 1);
  let sent = 0;
  for (let i = 0; i < 10_000; i++) {
    const n = send(client, chunk, chunk.length, 0);
    if (n === SOCKET_ERROR) { expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK); break; }
    sent += n;
  }
  expect(sent).toBeGreaterThan(0);
  const w = new fd_set();
  FD_SET(client, w);
  expect(await select(0, null, w, null, new timeval(0, 0))).toBe(0);
});
