// A blocking connect that is refused returns WSAECONNREFUSED to its caller; SO_ERROR then reads 0
// [observed on Windows, Wine's test_select], while select still shows the failure in exceptfds. A
// non-blocking connect's refusal is different: nobody was told, so SO_ERROR keeps it.
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, FIONBIO, SOCK_STREAM, SOCKET_ERROR, SO_ERROR, SOL_SOCKET, WSAECONNREFUSED, WSAEWOULDBLOCK,
  WSAGetLastError, closesocket, connect, getsockopt, ioctlsocket, sizeof, socket,
} from '../src/index.js';
import { native } from '../src/internal.js';
import { listener, ok, startup } from './helpers.js';

beforeAll(startup);

function soError(s: number): number {
  const v = { value: -1 };
  ok(getsockopt(s, SOL_SOCKET, SO_ERROR, v, { value: 4 }), 'getsockopt');
  return v.value;
}

test('SO_ERROR reads 0 after a refused blocking connect, every time', () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s);
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAECONNREFUSED);
  expect([soError(s), soError(s)]).toEqual([0, 0]);
  // select still shows the failure, in exceptfds only.
  const r = Int32Array.from([1, s]), w = Int32Array.from([1, s]), x = Int32Array.from([1, s]);
  expect(native.select(r, w, x, 0)).toBe(1);
  expect([r[0], w[0], x[0], x[1]]).toEqual([0, 0, 1, s]);
  closesocket(s);
});

test('a non-blocking connect refused after a refused blocking one is reported through SO_ERROR again', async () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s);
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(soError(s)).toBe(0);
  ok(ioctlsocket(s, FIONBIO, { value: 1 }), 'FIONBIO');
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  for (let i = 0; i < 400 && soError(s) === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(soError(s)).toBe(WSAECONNREFUSED);
  closesocket(s);
});
