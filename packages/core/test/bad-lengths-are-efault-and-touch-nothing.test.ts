import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, FIONBIO, SOCKET_ERROR, WSABUF, WSAEFAULT, WSAEINVAL, WSAGetLastError, WSARecv, WSASend, ioctlsocket, recv, send,
  sendto, recvfrom, SOCKADDR_IN, accept, getsockname,
} from '../src/index.js';
import { listener, startup, tcpPair, udpPair } from './helpers.js';

beforeAll(startup);

function expectFault(result: number): void {
  expect(result).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
}

test('a len beyond the buffer, negative, fractional or NaN is WSAEFAULT, and the buffer is untouched', () => {
  const p = tcpPair();
  expect(send(p.client, Buffer.from('xyz'), 3, 0)).toBe(3);
  expect(ioctlsocket(p.server, FIONBIO, { value: 1 })).toBe(0);
  const buf = Buffer.alloc(4, 0xee);
  for (const len of [5, -1, 2 ** 32, 1.5, NaN, Infinity]) {
    expectFault(recv(p.server, buf, len, 0));
    expectFault(send(p.client, buf, len, 0));
  }
  expect([...buf]).toEqual([0xee, 0xee, 0xee, 0xee]);
  expect(recv(p.server, buf, 4, 0)).toBe(3); // the data was never consumed by the refused calls
  p.close();
});

test('a WSABUF whose len exceeds its buf is WSAEFAULT before any byte moves, in WSASend and WSARecv', () => {
  const p = tcpPair();
  const ok = Buffer.alloc(4, 0xaa);
  const small = Buffer.alloc(2, 0xbb);
  const n = { value: 77 };
  expectFault(WSASend(p.client, [new WSABUF(4, ok), new WSABUF(3, small)], 2, n, 0));
  expectFault(WSARecv(p.server, [new WSABUF(4, ok), new WSABUF(3, small)], 2, n, { value: 0 }));
  expectFault(WSARecv(p.server, [new WSABUF(1, null)], 1, n, { value: 0 }));
  expect(n.value).toBe(77);
  expect([...ok, ...small]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb]);
  p.close();
});

test('a negative or too large dwBufferCount is WSAEFAULT, a count of 0 WSAEINVAL', () => {
  const p = tcpPair();
  const bufs = [new WSABUF(1, Buffer.alloc(1))];
  for (const count of [-1, 2, 2 ** 32 - 1, 0.5]) {
    expectFault(WSASend(p.client, bufs, count, { value: 0 }, 0));
    expectFault(WSARecv(p.server, bufs, count, { value: 0 }, { value: 0 }));
  }
  expect(WSASend(p.client, bufs, 0, { value: 0 }, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  p.close();
});

test('null where C needs a pointer (byte count, flags, address, length) is WSAEFAULT', () => {
  const p = tcpPair();
  const bufs = [new WSABUF(1, Buffer.alloc(1))];
  expectFault(WSASend(p.client, bufs, 1, null, 0));
  expectFault(WSARecv(p.server, bufs, 1, { value: 0 }, null));
  expectFault(WSARecv(p.server, bufs, 1, null, { value: 0 }));
  expectFault(WSASend(p.client, null as never, 1, { value: 0 }, 0));
  const to = new SOCKADDR_IN();
  to.sin_family = AF_INET;
  const u = udpPair();  // a TCP socket ignores sendto's address, however short
  expectFault(sendto(u.a, Buffer.alloc(1), 1, 0, to, 8));
  u.close();
  expectFault(recvfrom(p.server, Buffer.alloc(1), 1, 0, new SOCKADDR_IN(), { value: 4 }));
  expectFault(ioctlsocket(p.client, FIONBIO, null));
  const l = listener();
  expectFault(accept(l.s, new SOCKADDR_IN(), { value: 8 }));
  expectFault(accept(l.s, new SOCKADDR_IN(), null));
  expectFault(getsockname(l.s, new SOCKADDR_IN(), { value: 15 }));
  expectFault(getsockname(l.s, null, { value: 16 }));
  p.close();
});

test('a detached or zero-length buffer with a non-zero len is WSAEFAULT', () => {
  const p = tcpPair();
  const detached = new Uint8Array(8);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  expectFault(send(p.client, detached, 8, 0));
  expectFault(recv(p.server, new Uint8Array(0), 1, 0));
  expectFault(WSASend(p.client, [new WSABUF(8, detached)], 1, { value: 0 }, 0));
  p.close();
});
