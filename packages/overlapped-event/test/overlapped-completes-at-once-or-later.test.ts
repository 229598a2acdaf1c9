import { beforeAll, expect, test } from 'vitest';
import {
  SOCKET_ERROR, STATUS_PENDING, WSABUF, WSAEMSGSIZE, WSAGetLastError, WSAGetOverlappedResult,
  WSAOVERLAPPED, WSA_IO_INCOMPLETE, WSA_IO_PENDING, WSARecv, WSASend, send, recv, shutdown, SD_SEND, connect, sizeof,
  FIONBIO, ioctlsocket,
} from '../src/index.js';
import { startup, tcpPair, udpPair } from './helpers.js';

beforeAll(startup);

test('a receive with data already queued completes at once: 0, the byte count, and the WSAOVERLAPPED filled', () => {
  const p = tcpPair();
  expect(send(p.client, Buffer.from('ready'), 5, 0)).toBe(5);
  const buf = Buffer.alloc(16);
  const ov = new WSAOVERLAPPED();
  const got = { value: 0 }, flags = { value: 0 };
  // loopback delivers before send returns, so the data is there now
  expect(WSARecv(p.server, [new WSABUF(16, buf)], 1, got, flags, ov)).toBe(0);
  expect([got.value, ov.Internal, ov.InternalHigh, buf.subarray(0, 5).toString()]).toEqual([5, 0, 5, 'ready']);
  const n = { value: 0 }, f = { value: 0 };
  expect(WSAGetOverlappedResult(p.server, ov, n, false, f)).toBe(1);
  expect(n.value).toBe(5);
  p.close();
});

test('a receive with nothing queued pends (WSA_IO_PENDING, count untouched), then fWait resolves with the data', async () => {
  const p = tcpPair();
  const buf = Buffer.alloc(16);
  const ov = new WSAOVERLAPPED();
  const got = { value: 0xdead }, flags = { value: 0 };
  expect(WSARecv(p.server, [new WSABUF(16, buf)], 1, got, flags, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  expect(got.value).toBe(0xdead);
  expect(ov.Internal).toBe(STATUS_PENDING);
  const n = { value: 0 }, f = { value: 0 };
  expect(WSAGetOverlappedResult(p.server, ov, n, false, f)).toBe(0);
  expect(WSAGetLastError()).toBe(WSA_IO_INCOMPLETE);
  const waiting = WSAGetOverlappedResult(p.server, ov, n, true, f);
  expect(send(p.client, Buffer.from('later'), 5, 0)).toBe(5);
  expect(await waiting).toBe(1);
  expect([n.value, buf.subarray(0, 5).toString()]).toEqual([5, 'later']);
  p.close();
});

test('an overlapped receive pends on a non-blocking socket too, instead of WSAEWOULDBLOCK', async () => {
  const p = tcpPair();
  expect(ioctlsocket(p.server, FIONBIO, { value: 1 })).toBe(0);
  const ov = new WSAOVERLAPPED();
  expect(WSARecv(p.server, [new WSABUF(4, Buffer.alloc(4))], 1, null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  send(p.client, Buffer.from('nb'), 2, 0);
  expect(await WSAGetOverlappedResult(p.server, ov, { value: 0 }, true, { value: 0 })).toBe(1);
  p.close();
});

test('overlapped receives scatter in buffer order, and several outstanding ones complete in issue order', async () => {
  const p = tcpPair();
  const bufs = [Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(3), Buffer.alloc(5)];
  const first = new WSAOVERLAPPED(), second = new WSAOVERLAPPED(), third = new WSAOVERLAPPED();
  expect(WSARecv(p.server, [new WSABUF(4, bufs[0]!), new WSABUF(4, bufs[1]!)], 2, null, { value: 0 }, first)).toBe(SOCKET_ERROR);
  expect(WSARecv(p.server, [new WSABUF(3, bufs[2]!)], 1, null, { value: 0 }, second)).toBe(SOCKET_ERROR);
  expect(WSARecv(p.server, [new WSABUF(5, bufs[3]!)], 1, null, { value: 0 }, third)).toBe(SOCKET_ERROR);
  expect(send(p.client, Buffer.from('abcdefghijklmnop'), 16, 0)).toBe(16);
  const n = { value: 0 }, f = { value: 0 };
  expect(await WSAGetOverlappedResult(p.server, third, n, true, f)).toBe(1);
  expect([first.InternalHigh, second.InternalHigh, third.InternalHigh]).toEqual([8, 3, 5]);
  expect(bufs.map((b) => b.toString())).toEqual(['abcd', 'efgh', 'ijk', 'lmnop']);
  p.close();
});

test('an overlapped send gathers in order; a large one is not complete until every byte is taken', async () => {
  const p = tcpPair();
  const size = 8 * 1024 * 1024;
  const big = Buffer.alloc(size);
  for (let i = 0; i < size; i++) big[i] = i & 0xff;
  const ov = new WSAOVERLAPPED();
  const sent = { value: 0 };
  const r = WSASend(p.client, [new WSABUF(3, Buffer.from('hdr')), new WSABUF(size, big)], 2, sent, 0, ov);
  expect(r).toBe(SOCKET_ERROR); // the peer reads nothing yet: more than the socket buffers hold
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  // Two loop turns: the engine has polled the socket since, and pushed what fits.
  for (let i = 0; i < 2; i++) await new Promise((res) => setImmediate(res));
  expect(ov.Internal).toBe(STATUS_PENDING); // part of it went out, but it is not reported complete
  const out = Buffer.alloc(size + 3);
  let got = 0;
  const done = WSAGetOverlappedResult(p.client, ov, sent, true, { value: 0 });
  while (got < out.length) {
    const n = recv(p.server, out.subarray(got), out.length - got, 0);
    expect(n).toBeGreaterThan(0);
    got += n;
    if (got < out.length) await new Promise((res) => setImmediate(res)); // let the engine push more
  }
  expect(await done).toBe(1);
  expect(sent.value).toBe(size + 3);
  expect(out.subarray(0, 3).toString()).toBe('hdr');
  expect(out.subarray(3).equals(big)).toBe(true);
  p.close();
});

test('a pending receive completes with 0 bytes (TRUE) when the peer closes gracefully', async () => {
  const p = tcpPair();
  const ov = new WSAOVERLAPPED();
  expect(WSARecv(p.server, [new WSABUF(8, Buffer.alloc(8))], 1, null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(shutdown(p.client, SD_SEND)).toBe(0);
  const n = { value: -1 };
  expect(await WSAGetOverlappedResult(p.server, ov, n, true, { value: 0 })).toBe(1);
  expect(n.value).toBe(0);
  p.close();
});

test('UDP: an overlapped receive of a datagram too large is WSAEMSGSIZE with the bytes delivered and flags 0', async () => {
  const u = udpPair();
  expect(connect(u.a, u.addrB, sizeof(u.addrB))).toBe(0);
  const buf = Buffer.alloc(4);
  const ov = new WSAOVERLAPPED();
  expect(WSARecv(u.b, [new WSABUF(4, buf)], 1, null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  expect(send(u.a, Buffer.from('0123456789'), 10, 0)).toBe(10);
  const n = { value: 0 }, f = { value: 0 };
  expect(await WSAGetOverlappedResult(u.b, ov, n, true, f)).toBe(0);
  expect([WSAGetLastError(), n.value, f.value, buf.toString()]).toEqual([WSAEMSGSIZE, 4, 0, '0123']);
  u.close();
});
