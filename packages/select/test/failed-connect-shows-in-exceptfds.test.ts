import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, MAKEWORD, WSADATA, SOCKET_ERROR, WSAEWOULDBLOCK, WSAECONNREFUSED, WSAGetLastError, SOL_SOCKET, SO_ERROR,
  fd_set, FD_SET, FD_ISSET, select, timeval, connect, getsockopt, send, sizeof,
} from '../src/index.js';
import { closeAll, nonblocking, open, refusedAddress, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

function soError(s: number): number {
  const v = { value: -1 };
  expect(getsockopt(s, SOL_SOCKET, SO_ERROR, v, { value: 4 })).toBe(0);
  return v.value;
}

test('a refused non-blocking connect shows in exceptfds only, and SO_ERROR stays WSAECONNREFUSED', async () => {
  const addr = refusedAddress();
  const c = open();
  nonblocking(c);
  expect(connect(c, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  const r = new fd_set();
  const w = new fd_set();
  const e = new fd_set();
  FD_SET(c, r); FD_SET(c, w); FD_SET(c, e);
  expect(await select(0, r, w, e, new timeval(5, 0))).toBe(1);
  expect([r.fd_count, w.fd_count, e.fd_count]).toEqual([0, 0, 1]);
  expect(FD_ISSET(c, e)).toBe(1);
  expect(soError(c)).toBe(WSAECONNREFUSED);
  expect(soError(c)).toBe(WSAECONNREFUSED);  // sticky, unlike Linux's SO_ERROR
  // It keeps showing in exceptfds, and never in readfds/writefds.
  FD_SET(c, r); FD_SET(c, w); FD_SET(c, e);
  expect(await select(0, r, w, e, new timeval(0, 0))).toBe(1);
  expect([r.fd_count, w.fd_count, e.fd_count]).toEqual([0, 0, 1]);
});

test('a failed connect waited on in readfds and writefds only is never reported there', async () => {
  const addr = refusedAddress();
  const c = open();
  nonblocking(c);
  connect(c, addr, sizeof(addr));
  const marker = tcpPair();
  const r = new fd_set();
  const w = new fd_set();
  FD_SET(c, r); FD_SET(marker.server, r); FD_SET(c, w);
  const waiting = select(0, r, w, null, new timeval(5, 0));
  const e = new fd_set();
  FD_SET(c, e);
  expect(await select(0, null, null, e, new timeval(5, 0))).toBe(1);  // the refusal came first
  send(marker.client, Buffer.from('m'), 1, 0);  // then the marker ends the wait
  expect(await waiting).toBe(1);
  expect([r.fd_count, r.fd_array[0], w.fd_count]).toEqual([1, marker.server, 0]);
  expect(soError(c)).toBe(WSAECONNREFUSED);
});
