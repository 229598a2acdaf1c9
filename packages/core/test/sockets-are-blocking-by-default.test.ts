import { beforeAll, expect, test } from 'vitest';
import {
  FIONBIO, SO_RCVTIMEO, SOCKET_ERROR, SOL_SOCKET, WSAETIMEDOUT, WSAEWOULDBLOCK, WSAGetLastError, ioctlsocket,
  recv, setsockopt, accept, WSAEINVAL,
} from '../src/index.js';
import { listener, startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('a new socket blocks in recv until SO_RCVTIMEO passes, and returns WSAEWOULDBLOCK once FIONBIO is set', () => {
  const p = tcpPair();
  // Blocking proves itself by timing out (WSAETIMEDOUT) rather than failing at once (WSAEWOULDBLOCK).
  expect(setsockopt(p.server, SOL_SOCKET, SO_RCVTIMEO, { value: 50 }, 4)).toBe(0);
  const buf = Buffer.alloc(8);
  expect(recv(p.server, buf, 8, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAETIMEDOUT);
  expect(ioctlsocket(p.server, FIONBIO, { value: 1 })).toBe(0);
  expect(recv(p.server, buf, 8, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(ioctlsocket(p.server, FIONBIO, { value: 0 })).toBe(0);
  expect(recv(p.server, buf, 8, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAETIMEDOUT);
  p.close();
});

test('a non-blocking listening socket with nothing queued answers accept with WSAEWOULDBLOCK', () => {
  const l = listener();
  expect(ioctlsocket(l.s, FIONBIO, { value: 1 })).toBe(0);
  expect(accept(l.s, null, null)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
});

test('ioctlsocket with an unknown command is WSAEINVAL', () => {
  const p = tcpPair();
  expect(ioctlsocket(p.client, 0x12345678, { value: 0 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  p.close();
});
