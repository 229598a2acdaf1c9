import { beforeAll, expect, test } from 'vitest';
import {
  LINGER, SO_LINGER, SOCKET_ERROR, SOL_SOCKET, WSAECONNRESET, WSAGetLastError, closesocket, recv, send, setsockopt,
  sizeof,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('sending to a peer that reset the connection is WSAECONNRESET, every time, and no SIGPIPE kills us', () => {
  const p = tcpPair();
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  expect(setsockopt(p.server, SOL_SOCKET, SO_LINGER, linger, sizeof(linger))).toBe(0);
  expect(closesocket(p.server)).toBe(0); // abortive close: RST
  const buf = Buffer.alloc(1024, 1);
  const errors: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = send(p.client, buf, buf.length, 0);
    if (r === SOCKET_ERROR) errors.push(WSAGetLastError());
  }
  expect(errors.length).toBeGreaterThanOrEqual(4);
  expect(new Set(errors)).toEqual(new Set([WSAECONNRESET]));
  expect(recv(p.client, buf, 10, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAECONNRESET);
  closesocket(p.client);
});

test('sending after the peer closed gracefully ends in WSAECONNRESET once the peer answers with RST', () => {
  const p = tcpPair();
  closesocket(p.server);
  const buf = Buffer.alloc(1024, 2);
  let last = 0;
  for (let i = 0; i < 50 && last === 0; i++) {
    if (send(p.client, buf, buf.length, 0) === SOCKET_ERROR) last = WSAGetLastError();
  }
  expect(last).toBe(WSAECONNRESET);
  closesocket(p.client);
});
