import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, send, recv, FD_READ, FD_READ_BIT, FD_WRITE, FD_CLOSE, WSARecv,
  SOCKET_ERROR, WSAEFAULT, WSAGetLastError,
} from '../src/index.js';
import { startup, pair, closeAll, next, signalled, enumerate, check } from './helpers.js';

beforeAll(startup);

test('FD_READ comes once per recv: new data does not re-record it, recv does while data remains', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_CLOSE), 'WSAEventSelect');
  expect(await signalled(ev, 100)).toBe(false);  // nothing to read yet
  send(client, Buffer.from('first'), 5, 0);
  const ne = await next(server, ev);
  expect(ne.lNetworkEvents).toBe(FD_READ);
  expect(ne.iErrorCode[FD_READ_BIT]).toBe(0);

  send(client, Buffer.from('second'), 6, 0);
  expect(await signalled(ev, 150)).toBe(false);  // FD_READ stays in R until a recv
  const buf = Buffer.alloc(4);
  expect(recv(server, buf, 4, 0)).toBe(4);       // 7 bytes remain
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_READ);

  const all = Buffer.alloc(64);
  expect(recv(server, all, 64, 0)).toBe(7);      // drained
  expect(await signalled(ev, 150)).toBe(false);
  expect(enumerate(server, ev).lNetworkEvents).toBe(0);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('WSARecv re-enables FD_READ like recv', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_WRITE), 'WSAEventSelect');
  enumerate(server, ev);  // FD_WRITE of the registration
  send(client, Buffer.from('abcdef'), 6, 0);
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_READ);
  const part = Buffer.alloc(2);
  const got = { value: 0 };
  check(WSARecv(server, [{ len: 2, buf: part }], 1, got, { value: 0 }), 'WSARecv');
  expect(got.value).toBe(2);
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_READ);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('a recv refused with WSAEFAULT does not re-signal the event (message mode would re-post)', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ), 'WSAEventSelect');
  send(client, Buffer.from('unread'), 6, 0);
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_READ);
  expect(recv(server, Buffer.alloc(4), -1, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(await signalled(ev, 150)).toBe(false);
  expect(recv(server, Buffer.alloc(2), 2, 0)).toBe(2);  // a recv that works re-enables it: 4 bytes remain
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_READ);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
