import { beforeAll, expect, test } from 'vitest';
import {
  SOCKADDR_IN, SOCKET_ERROR, WSABUF, WSAEMSGSIZE, WSAGetLastError, WSARecv, WSARecvFrom, WSASend,
  WSASendTo, connect, recv, sizeof, ntohs, AF_INET,
} from '../src/index.js';
import { startup, tcpPair, udpPair } from './helpers.js';

beforeAll(startup);

test('TCP: WSASend gathers its buffers in order and WSARecv fills each buffer completely before the next', () => {
  const p = tcpPair();
  const sent = { value: 0 };
  const parts = ['dead', 'beefs', '', '!'].map((t) => Buffer.from(t));
  expect(WSASend(p.client, parts.map((b) => new WSABUF(b.length, b)), 4, sent, 0)).toBe(0);
  expect(sent.value).toBe(10);
  const a = Buffer.alloc(4), b = Buffer.alloc(5), c = Buffer.alloc(8, 0x2e);
  const got = { value: 0 }, flags = { value: 0 };
  let total = 0;
  // One WSARecv may see fewer bytes than were sent (a stream has no boundaries); loop until all 10.
  const rest = Buffer.alloc(10);
  expect(WSARecv(p.server, [new WSABUF(4, a), new WSABUF(5, b), new WSABUF(8, c)], 3, got, flags)).toBe(0);
  total = got.value;
  expect(total).toBeGreaterThan(0);
  const joined = Buffer.concat([a, b, c]).subarray(0, total);
  rest.set(joined, 0);
  while (total < 10) total += recv(p.server, rest.subarray(total), 10 - total, 0);
  expect(rest.toString()).toBe('deadbeefs!');
  if (got.value === 10) expect([a.toString(), b.toString(), c.subarray(0, 1).toString()]).toEqual(['dead', 'beefs', '!']);
  expect(flags.value).toBe(0);
  p.close();
});

test('UDP: WSASendTo sends its buffers as one datagram and WSARecvFrom scatters it and names the sender', () => {
  const p = udpPair();
  const sent = { value: 0 };
  expect(WSASendTo(p.a, [new WSABUF(3, Buffer.from('one')), new WSABUF(3, Buffer.from('two'))], 2, sent, 0, p.addrB,
    sizeof(p.addrB))).toBe(0);
  expect(sent.value).toBe(6);
  const x = Buffer.alloc(2), y = Buffer.alloc(10);
  const got = { value: 0 }, flags = { value: 0 };
  const from = new SOCKADDR_IN();
  const fromlen = { value: sizeof(from) };
  expect(WSARecvFrom(p.b, [new WSABUF(2, x), new WSABUF(10, y)], 2, got, flags, from, fromlen)).toBe(0);
  expect([got.value, x.toString(), y.subarray(0, 4).toString()]).toEqual([6, 'on', 'etwo']);
  expect([from.sin_family, ntohs(from.sin_port), fromlen.value]).toEqual([AF_INET, ntohs(p.addrA.sin_port), 16]);
  p.close();
});

test('UDP: a datagram larger than the buffers is WSAEMSGSIZE with its first bytes delivered and lpFlags 0, the next one intact', () => {
  const p = udpPair();
  expect(connect(p.a, p.addrB, sizeof(p.addrB))).toBe(0);
  const sent = { value: 0 };
  expect(WSASend(p.a, [new WSABUF(10, Buffer.from('0123456789'))], 1, sent, 0)).toBe(0);
  expect(WSASend(p.a, [new WSABUF(2, Buffer.from('ok'))], 1, sent, 0)).toBe(0);
  const x = Buffer.alloc(3), y = Buffer.alloc(3);
  const got = { value: 0 }, flags = { value: 0 };
  expect(WSARecv(p.b, [new WSABUF(3, x), new WSABUF(3, y)], 2, got, flags)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEMSGSIZE);
  expect([got.value, flags.value, x.toString(), y.toString()]).toEqual([6, 0, '012', '345']);
  flags.value = 0;
  expect(WSARecv(p.b, [new WSABUF(3, x)], 1, got, flags)).toBe(0);
  expect([got.value, flags.value, x.subarray(0, 2).toString()]).toEqual([2, 0, 'ok']);
  p.close();
});

test('a single WSABUF stands for C\'s &wsabuf with a count of 1', () => {
  const p = tcpPair();
  const sent = { value: 0 };
  expect(WSASend(p.client, new WSABUF(2, Buffer.from('hi')), 1, sent, 0)).toBe(0);
  const buf = Buffer.alloc(2);
  const got = { value: 0 };
  expect(WSARecv(p.server, new WSABUF(2, buf), 1, got, { value: 0 })).toBe(0);
  expect(buf.toString()).toBe('hi');
  p.close();
});
