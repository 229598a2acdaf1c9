import { beforeAll, expect, test } from 'vitest';
import {
  IPPROTO_TCP, LINGER, SO_DONTLINGER, SO_KEEPALIVE, SO_LINGER, SO_RCVBUF, SO_RCVTIMEO, SO_REUSEADDR, SO_TYPE,
  SOCK_DGRAM, SOCK_STREAM, SOCKET_ERROR, SOL_SOCKET, TCP_NODELAY, WSAEFAULT, WSAEINVAL, WSAENOPROTOOPT,
  WSAGetLastError, getsockopt, setsockopt, sizeof, SO_ERROR, AF_INET, socket, closesocket, SO_ACCEPTCONN,
} from '../src/index.js';
import { listener, startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('int options round-trip through { value } boxes, with optlen set to sizeof(int)', () => {
  const p = tcpPair();
  for (const [level, name] of [[IPPROTO_TCP, TCP_NODELAY], [SOL_SOCKET, SO_KEEPALIVE], [SOL_SOCKET, SO_REUSEADDR]]) {
    expect(setsockopt(p.client, level!, name!, { value: 1 }, 4)).toBe(0);
    const v = { value: 0 }, len = { value: 4 };
    expect(getsockopt(p.client, level!, name!, v, len)).toBe(0);
    expect([name, v.value !== 0, len.value]).toEqual([name, true, 4]);
  }
  expect(setsockopt(p.client, SOL_SOCKET, SO_RCVTIMEO, { value: 1234 }, 4)).toBe(0);
  const t = { value: 0 };
  expect(getsockopt(p.client, SOL_SOCKET, SO_RCVTIMEO, t, { value: 4 })).toBe(0);
  expect(t.value).toBe(1234);
  expect(setsockopt(p.client, SOL_SOCKET, SO_RCVBUF, { value: 65536 }, 4)).toBe(0);
  expect(getsockopt(p.client, SOL_SOCKET, SO_RCVBUF, t, { value: 4 })).toBe(0);
  expect(t.value).toBe(65536);
  p.close();
});

test('SO_TYPE gives Winsock\'s type, SO_ACCEPTCONN says listening, SO_ERROR is 0 on a healthy socket', () => {
  const l = listener();
  const u = socket(AF_INET, SOCK_DGRAM, 0);
  const v = { value: -1 };
  expect(getsockopt(l.s, SOL_SOCKET, SO_TYPE, v, { value: 4 })).toBe(0);
  expect(v.value).toBe(SOCK_STREAM);
  expect(getsockopt(u, SOL_SOCKET, SO_TYPE, v, { value: 4 })).toBe(0);
  expect(v.value).toBe(SOCK_DGRAM);
  expect(getsockopt(l.s, SOL_SOCKET, SO_ACCEPTCONN, v, { value: 4 })).toBe(0);
  expect(v.value).not.toBe(0);
  expect(getsockopt(l.s, SOL_SOCKET, SO_ERROR, v, { value: 4 })).toBe(0);
  expect(v.value).toBe(0);
  closesocket(l.s);
  closesocket(u);
});

test('SO_LINGER takes and gives Winsock\'s LINGER (two u_shorts); SO_DONTLINGER is its inverse', () => {
  const p = tcpPair();
  const l = new LINGER();
  l.l_onoff = 1;
  l.l_linger = 7;
  expect(setsockopt(p.client, SOL_SOCKET, SO_LINGER, l, sizeof(l))).toBe(0);
  const out = new LINGER();
  const len = { value: sizeof(out) };
  expect(getsockopt(p.client, SOL_SOCKET, SO_LINGER, out, len)).toBe(0);
  expect([out.l_onoff, out.l_linger, len.value]).toEqual([1, 7, 4]);
  const dont = { value: -1 };
  expect(getsockopt(p.client, SOL_SOCKET, SO_DONTLINGER, dont, { value: 4 })).toBe(0);
  expect(dont.value).toBe(0);
  expect(setsockopt(p.client, SOL_SOCKET, SO_DONTLINGER, { value: 1 }, 4)).toBe(0);
  expect(getsockopt(p.client, SOL_SOCKET, SO_LINGER, out, len)).toBe(0);
  expect(out.l_onoff).toBe(0);
  p.close();
});

test('an unknown option is WSAENOPROTOOPT, an unknown level WSAEINVAL, a short optlen WSAEFAULT', () => {
  const p = tcpPair();
  const u = socket(AF_INET, SOCK_DGRAM, 0);
  expect(setsockopt(p.client, SOL_SOCKET, 0x7777, { value: 1 }, 4)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOPROTOOPT);
  expect(setsockopt(p.client, 12345, 1, { value: 1 }, 4)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(setsockopt(p.client, IPPROTO_TCP, TCP_NODELAY, { value: 1 }, 2)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(getsockopt(p.client, IPPROTO_TCP, TCP_NODELAY, { value: 1 }, { value: 3 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(setsockopt(u, IPPROTO_TCP, TCP_NODELAY, { value: 1 }, 4)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOPROTOOPT);
  expect(setsockopt(p.client, SOL_SOCKET, SO_TYPE, { value: 1 }, 4)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOPROTOOPT);
  closesocket(u);
  p.close();
});
