import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, send, recv, shutdown, setsockopt, closesocket, LINGER, SOL_SOCKET,
  SO_LINGER, sizeof, FD_READ, FD_CLOSE, FD_CLOSE_BIT, SD_SEND, SD_BOTH, SOCKET_ERROR, WSAGetLastError,
  WSAECONNABORTED, WSAECONNRESET,
} from '../src/index.js';
import { startup, pair, closeAll, collect, next, signalled, enumerate, check } from './helpers.js';

beforeAll(startup);

test('the peer\'s graceful close records FD_CLOSE with 0, once, and recv then returns 0', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 'WSAEventSelect');
  shutdown(client, SD_SEND);
  const ne = await next(server, ev);
  expect(ne.lNetworkEvents).toBe(FD_CLOSE);  // closure is never FD_READ
  expect(ne.iErrorCode[FD_CLOSE_BIT]).toBe(0);
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(0);
  expect(await signalled(ev, 150)).toBe(false);  // reported once
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('data followed by the peer\'s close records FD_READ and FD_CLOSE while the data is unread', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 'WSAEventSelect');
  send(client, Buffer.from('bye'), 3, 0);
  closesocket(client);
  const { seen, err } = await collect(server, ev, FD_READ | FD_CLOSE);
  expect(seen).toBe(FD_READ | FD_CLOSE);
  expect(err[FD_CLOSE_BIT]).toBe(0);
  const b = Buffer.alloc(8);
  expect(recv(server, b, 8, 0)).toBe(3);
  closeAll(server, ls);
  WSACloseEvent(ev);
});

test('a peer reset records FD_CLOSE with WSAECONNABORTED; later calls fail with WSAECONNRESET', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 'WSAEventSelect');
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt');
  closesocket(client);  // abortive close: RST
  const { seen, err } = await collect(server, ev, FD_CLOSE);
  expect(seen & FD_CLOSE).toBe(FD_CLOSE);
  expect(err[FD_CLOSE_BIT]).toBe(WSAECONNABORTED);
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAECONNRESET);
  closeAll(server, ls);
  WSACloseEvent(ev);
});

test('a local shutdown records no FD_CLOSE', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 'WSAEventSelect');
  shutdown(server, SD_BOTH);
  expect(await signalled(ev, 150)).toBe(false);
  expect(enumerate(server, ev).lNetworkEvents & FD_CLOSE).toBe(0);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
