import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET6, SOCK_STREAM, SOCKADDR_IN6, accept, closesocket, connect, getpeername, inet_ntop, recv, send, sizeof, socket,
} from '../src/index.js';
import { hasIPv6Loopback, listener, startup, tcpPair } from './helpers.js';

beforeAll(startup);
const v6 = (() => { startup(); return hasIPv6Loopback(); })();

test.skipIf(!v6)('TCP over ::1: connect, accept with the peer\'s SOCKADDR_IN6, and echo', () => {
  const p = tcpPair(AF_INET6);
  expect(send(p.client, Buffer.from('six'), 3, 0)).toBe(3);
  const buf = Buffer.alloc(3);
  expect(recv(p.server, buf, 3, 0)).toBe(3);
  expect(buf.toString()).toBe('six');
  const peer = new SOCKADDR_IN6();
  const len = { value: sizeof(peer) };
  expect(getpeername(p.server, peer, len)).toBe(0);
  expect([peer.sin6_family, len.value, inet_ntop(AF_INET6, peer.sin6_addr)]).toEqual([AF_INET6, 28, '::1']);
  p.close();
});

test.skipIf(!v6)('accept into a SOCKADDR_IN6 fills family 23 (Winsock\'s AF_INET6), not Linux\'s 10', () => {
  const l = listener(AF_INET6);
  const peer = new SOCKADDR_IN6();
  const len = { value: sizeof(peer) };
  const c = socket(AF_INET6, SOCK_STREAM, 0);
  expect(connect(c, l.addr, sizeof(l.addr))).toBe(0);
  const s = accept(l.s, peer, len);
  expect(s).toBeGreaterThan(0);
  expect(peer.sin6_family).toBe(23);
  for (const x of [c, s, l.s]) closesocket(x);
});

