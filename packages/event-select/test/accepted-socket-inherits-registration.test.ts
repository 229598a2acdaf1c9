import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, accept, send, ioctlsocket, FIONBIO, recv, FD_ACCEPT, FD_READ,
  FD_WRITE, FD_CLOSE, SOCKET_ERROR, WSAGetLastError, WSAEINVAL, WSAEWOULDBLOCK,
} from '../src/index.js';
import { startup, listener, dial, closeAll, next, signalled, check } from './helpers.js';

beforeAll(startup);

test('accept returns a socket registered like the listener: same event, non-blocking, FD_WRITE pending', async () => {
  const { ls, addr } = listener();
  const lev = WSACreateEvent();
  check(WSAEventSelect(ls, lev, FD_ACCEPT | FD_CLOSE | FD_READ), 'WSAEventSelect');
  const c = dial(addr);
  expect((await next(ls, lev)).lNetworkEvents).toBe(FD_ACCEPT);
  const s = check(accept(ls, null, null), 'accept');
  // Registered: leaving non-blocking mode is refused, and recv does not block.
  expect(ioctlsocket(s, FIONBIO, { value: 0 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(recv(s, Buffer.alloc(4), 4, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  // The inherited mask (FD_READ here) signals the listener's event for the new socket.
  send(c, Buffer.from('hi'), 2, 0);
  expect((await next(s, lev)).lNetworkEvents).toBe(FD_READ);
  // FD_WRITE was recorded when accepted; the program's own registration sees it at once.
  const sev = WSACreateEvent();
  check(WSAEventSelect(s, sev, FD_READ | FD_WRITE | FD_CLOSE), 'WSAEventSelect');
  expect(await signalled(sev, 0)).toBe(true);
  expect((await next(s, sev)).lNetworkEvents).toBe(FD_WRITE);
  closeAll(c, s, ls);
  WSACloseEvent(lev);
  WSACloseEvent(sev);
});
