import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, WSAMAKESELECTREPLY, socket, connect, closesocket, sizeof, AF_INET, SOCK_STREAM, FD_CONNECT, FD_WRITE,
  FD_READ, FD_CLOSE, SOCKET_ERROR, WSAGetLastError, WSAEWOULDBLOCK, WSAECONNREFUSED,
} from '../src/index.js';
import { startup, listener, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

const ALL = FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE;

test('a connect that succeeds posts FD_CONNECT (error 0), then FD_WRITE: two messages, in that order', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET, ALL), 'WSAAsyncSelect');
  expect(await quiet(hWnd, 50)).toBe(true);  // an unconnected socket reports nothing
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);  // non-blocking now
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(await expectMessage(hWnd)).toEqual({
    message: WM_SOCKET, socket: s, event: FD_CONNECT, error: 0, lParam: WSAMAKESELECTREPLY(FD_CONNECT, 0),
  });
  expect(await expectMessage(hWnd)).toMatchObject({ socket: s, event: FD_WRITE, error: 0 });
  expect(await quiet(hWnd)).toBe(true);  // once per connect
  closeAll(s, ls);
});

test('a refused connect posts FD_CONNECT carrying WSAECONNREFUSED, and no FD_WRITE', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  closesocket(ls);  // nobody listens on that port any more
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET, ALL), 'WSAAsyncSelect');
  const r = connect(s, addr, sizeof(addr));
  if (r === SOCKET_ERROR && WSAGetLastError() !== WSAEWOULDBLOCK) expect(WSAGetLastError()).toBe(WSAECONNREFUSED);
  const m = await expectMessage(hWnd);
  expect(m).toEqual({
    message: WM_SOCKET, socket: s, event: FD_CONNECT, error: WSAECONNREFUSED,
    lParam: WSAMAKESELECTREPLY(FD_CONNECT, WSAECONNREFUSED),
  });
  expect(await quiet(hWnd)).toBe(true);
  closeAll(s);
});

test('re-registering a connected socket posts FD_WRITE again but never FD_CONNECT', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET, ALL), 'WSAAsyncSelect');
  connect(s, addr, sizeof(addr));
  expect((await expectMessage(hWnd)).event).toBe(FD_CONNECT);
  expect((await expectMessage(hWnd)).event).toBe(FD_WRITE);
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET, ALL), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: s, event: FD_WRITE });
  expect(await quiet(hWnd)).toBe(true);
  closeAll(s, ls);
});
