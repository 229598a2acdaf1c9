import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, accept, send, recv, ioctlsocket, FIONBIO, FD_ACCEPT, FD_READ, FD_WRITE, FD_CLOSE, SOCKET_ERROR,
  WSAGetLastError, WSAEINVAL, WSAEWOULDBLOCK,
} from '../src/index.js';
import { startup, listener, dial, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('an accepted socket inherits the listener\'s registration: its messages carry the new socket in wParam', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  check(WSAAsyncSelect(ls, hWnd, WM_SOCKET, FD_ACCEPT | FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  const c = dial(addr);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: ls, event: FD_ACCEPT });
  const s = check(accept(ls, null, null), 'accept');
  // Registered and non-blocking, like the listener.
  expect(ioctlsocket(s, FIONBIO, { value: 0 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(recv(s, Buffer.alloc(4), 4, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  // The inherited mask has FD_READ and not FD_WRITE: data posts FD_READ for the new socket.
  send(c, Buffer.from('hi'), 2, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET, socket: s, event: FD_READ, error: 0 });
  expect(await quiet(hWnd)).toBe(true);
  closeAll(c, s, ls);
});

test('the program re-registers the accepted socket for FD_READ|FD_WRITE|FD_CLOSE and gets FD_WRITE, then its data', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  check(WSAAsyncSelect(ls, hWnd, WM_SOCKET, FD_ACCEPT | FD_CLOSE), 'WSAAsyncSelect');
  const c = dial(addr);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: ls, event: FD_ACCEPT });
  const s = check(accept(ls, null, null), 'accept');
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET + 1, FD_READ | FD_WRITE | FD_CLOSE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET + 1, socket: s, event: FD_WRITE, error: 0 });
  send(c, Buffer.from('hello'), 5, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET + 1, socket: s, event: FD_READ });
  expect(recv(s, Buffer.alloc(8), 8, 0)).toBe(5);
  closeAll(c, s, ls);
});
