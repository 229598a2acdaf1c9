// connect on a connected UDP socket with an AF_UNSPEC address (or an all-zero one) dissolves the
// association: it returns 0, getpeername is then WSAENOTCONN and so is send without an address
// (Microsoft's connect page; Wine's test_connect_udp).
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, SOCKADDR_IN, SOCKET_ERROR, WSAENOTCONN, WSAGetLastError, closesocket, connect, getpeername, send,
  sendto, sizeof, recvfrom,
} from '../src/index.js';
import { ok, startup, udpPair } from './helpers.js';

beforeAll(startup);

test('connect to AF_UNSPEC returns 0 and leaves the UDP socket unconnected', () => {
  const p = udpPair();
  ok(connect(p.a, p.addrB, sizeof(p.addrB)), 'connect');
  const peer = new SOCKADDR_IN();
  expect(getpeername(p.a, peer, { value: sizeof(peer) })).toBe(0);
  const unspec = new Uint8Array(16);  // sa_family 0: AF_UNSPEC
  expect(connect(p.a, unspec, unspec.length)).toBe(0);
  expect(getpeername(p.a, peer, { value: sizeof(peer) })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTCONN);
  expect(send(p.a, Buffer.from('x'), 1, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTCONN);
  // sendto still works, and the socket keeps its local address.
  expect(sendto(p.a, Buffer.from('y'), 1, 0, p.addrB, sizeof(p.addrB))).toBe(1);
  expect(recvfrom(p.b, Buffer.alloc(4), 4, 0, null, null)).toBe(1);
  p.close();
});

test('connect to an all-zero address dissolves it too', () => {
  const p = udpPair();
  ok(connect(p.a, p.addrB, sizeof(p.addrB)), 'connect');
  const zero = new SOCKADDR_IN();
  zero.sin_family = AF_INET;  // 0.0.0.0, port 0
  expect(connect(p.a, zero, sizeof(zero))).toBe(0);
  expect(getpeername(p.a, new SOCKADDR_IN(), { value: 16 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTCONN);
  p.close();
});

test('an unconnected UDP socket accepts the AF_UNSPEC connect as well', () => {
  const p = udpPair();
  const unspec = new Uint8Array(16);
  expect(connect(p.a, unspec, unspec.length)).toBe(0);
  closesocket(p.a);
  closesocket(p.b);
});
