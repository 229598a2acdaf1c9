import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, socket, connect, closesocket, sizeof, AF_INET, SOCK_STREAM,
  FD_CONNECT, FD_CONNECT_BIT, FD_WRITE, FD_READ, FD_CLOSE, SOCKET_ERROR, WSAGetLastError, WSAEWOULDBLOCK,
  WSAECONNREFUSED,
} from '../src/index.js';
import { startup, listener, closeAll, collect, next, signalled, check } from './helpers.js';

beforeAll(startup);

test('a non-blocking connect that succeeds records FD_CONNECT (error 0) together with FD_WRITE', async () => {
  const { ls, addr } = listener();
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  const ev = WSACreateEvent();
  check(WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 'WSAEventSelect');
  const r = connect(s, addr, sizeof(addr));
  if (r === SOCKET_ERROR) expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  // One signal, one enumeration: the connect's end records both.
  const ne = await next(s, ev);
  expect(ne.lNetworkEvents).toBe(FD_CONNECT | FD_WRITE);
  expect(ne.iErrorCode[FD_CONNECT_BIT]).toBe(0);
  expect(await signalled(ev, 100)).toBe(false);  // once per connect
  closeAll(s, ls);
  WSACloseEvent(ev);
});

test('a refused connect records FD_CONNECT carrying WSAECONNREFUSED, and no FD_WRITE', async () => {
  const { ls, addr } = listener();
  closesocket(ls);  // nobody listens on that port any more
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  const ev = WSACreateEvent();
  check(WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 'WSAEventSelect');
  const r = connect(s, addr, sizeof(addr));
  if (r === SOCKET_ERROR && WSAGetLastError() !== WSAEWOULDBLOCK) expect(WSAGetLastError()).toBe(WSAECONNREFUSED);
  const { seen, err } = await collect(s, ev, FD_CONNECT);
  expect(seen).toBe(FD_CONNECT);
  expect(err[FD_CONNECT_BIT]).toBe(WSAECONNREFUSED);
  closeAll(s);
  WSACloseEvent(ev);
});

test('a connect made before any registration still reports FD_CONNECT once the mask includes it', async () => {
  const { ls, addr } = listener();
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(connect(s, addr, sizeof(addr)), 'connect');  // blocking, completes before the registration
  const ev = WSACreateEvent();
  check(WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 'WSAEventSelect');
  const ne = await next(s, ev);
  expect(ne.lNetworkEvents).toBe(FD_CONNECT | FD_WRITE);
  expect(ne.iErrorCode[FD_CONNECT_BIT]).toBe(0);
  closeAll(s, ls);
  WSACloseEvent(ev);
});
