import { beforeAll, expect, test } from 'vitest';
import {
  LINGER, SO_LINGER, SOCKET_ERROR, SOL_SOCKET, WSAECONNRESET, WSAGetLastError, closesocket, recv, send, setsockopt,
  sizeof, shutdown, SD_SEND, getsockopt, SO_ERROR,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('recv returns the data, then 0 once the peer closed gracefully, and 0 again after that', () => {
  const p = tcpPair();
  expect(send(p.client, Buffer.from('bye'), 3, 0)).toBe(3);
  expect(shutdown(p.client, SD_SEND)).toBe(0);
  const buf = Buffer.alloc(16);
  expect(recv(p.server, buf, 16, 0)).toBe(3);
  expect(recv(p.server, buf, 16, 0)).toBe(0);
  expect(recv(p.server, buf, 16, 0)).toBe(0);
  p.close();
});

test('after a peer RST (SO_LINGER 0) recv fails with WSAECONNRESET on every call and SO_ERROR stays 0', () => {
  const p = tcpPair();
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  expect(setsockopt(p.client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger))).toBe(0);
  closesocket(p.client);
  const buf = Buffer.alloc(16);
  for (let i = 0; i < 3; i++) {
    expect(recv(p.server, buf, 16, 0)).toBe(SOCKET_ERROR);
    expect(WSAGetLastError()).toBe(WSAECONNRESET);
  }
  const err = { value: -1 };
  expect(getsockopt(p.server, SOL_SOCKET, SO_ERROR, err, { value: 4 })).toBe(0);
  expect(err.value).toBe(0);
  closesocket(p.server);
});
