import { beforeAll, expect, test } from 'vitest';
import {
  FIONBIO, MSG_OOB, SIOCATMARK, SOCKET_ERROR, WSAEWOULDBLOCK, WSAGetLastError, ioctlsocket, recv, send,
  SO_OOBINLINE, SOL_SOCKET, setsockopt, WSAEINVAL, WSAEOPNOTSUPP, MSG_PEEK,
} from '../src/index.js';
import { startup, tcpPair, udpPair } from './helpers.js';

beforeAll(startup);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

test('a byte sent with MSG_OOB is read with MSG_OOB; SIOCATMARK says FALSE while it waits', async () => {
  const p = tcpPair();
  expect(ioctlsocket(p.server, FIONBIO, { value: 1 })).toBe(0);
  const buf = Buffer.alloc(8);
  expect(recv(p.server, buf, 1, MSG_OOB)).toBe(SOCKET_ERROR); // nothing urgent yet
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  const mark = { value: -1 };
  expect(ioctlsocket(p.server, SIOCATMARK, mark)).toBe(0);
  expect(mark.value).toBe(1);
  expect(send(p.client, Buffer.from('ab'), 2, 0)).toBe(2);
  expect(send(p.client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
  await until(() => (ioctlsocket(p.server, SIOCATMARK, mark), mark.value === 0));
  expect(mark.value).toBe(0);
  expect(recv(p.server, buf, 1, MSG_OOB)).toBe(1);
  expect(String.fromCharCode(buf[0]!)).toBe('!');
  expect(recv(p.server, buf, 8, 0)).toBe(2);
  expect(buf.subarray(0, 2).toString()).toBe('ab');
  p.close();
});

test('recv with MSG_OOB under SO_OOBINLINE is WSAEINVAL; on UDP MSG_OOB is WSAEOPNOTSUPP; unknown flags too', () => {
  const p = tcpPair();
  expect(setsockopt(p.server, SOL_SOCKET, SO_OOBINLINE, { value: 1 }, 4)).toBe(0);
  expect(recv(p.server, Buffer.alloc(1), 1, MSG_OOB)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(send(p.client, Buffer.alloc(1), 1, MSG_PEEK)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEOPNOTSUPP);
  p.close();
  const u = udpPair();
  expect(recv(u.b, Buffer.alloc(1), 1, MSG_OOB)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEOPNOTSUPP);
  u.close();
});
