import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, WSAMAKESELECTREPLY, send, recv, shutdown, setsockopt, closesocket, LINGER, SOL_SOCKET, SO_LINGER,
  sizeof, FD_READ, FD_CLOSE, SD_SEND, SD_BOTH, SOCKET_ERROR, WSAGetLastError, WSAECONNABORTED, WSAECONNRESET,
} from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('the peer\'s graceful close posts FD_CLOSE with error 0, once; closure is never FD_READ', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  shutdown(client, SD_SEND);
  expect(await expectMessage(hWnd)).toEqual({ message: WM_SOCKET, socket: server, event: FD_CLOSE, error: 0, lParam: 0x20 });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(0);
  expect(await quiet(hWnd)).toBe(true);
  closeAll(client, server, ls);
});

test('data followed by the peer\'s close posts FD_READ, then FD_CLOSE, while the data is unread', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  send(client, Buffer.from('bye'), 3, 0);
  closesocket(client);
  const first = await expectMessage(hWnd);
  expect(first).toMatchObject({ socket: server, event: FD_READ });
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_CLOSE, error: 0 });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(3);
  closeAll(server, ls);
});

test('a peer reset posts FD_CLOSE with WSAECONNABORTED (lParam 0x27450020); recv then fails with WSAECONNRESET', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt');
  closesocket(client);  // abortive close: RST
  const m = await expectMessage(hWnd);
  expect(m).toEqual({ message: WM_SOCKET, socket: server, event: FD_CLOSE, error: WSAECONNABORTED, lParam: 0x27450020 });
  expect(m.lParam).toBe(WSAMAKESELECTREPLY(FD_CLOSE, WSAECONNABORTED));
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAECONNRESET);
  expect(await quiet(hWnd)).toBe(true);
  closeAll(server, ls);
});

test('a local shutdown posts no FD_CLOSE', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  shutdown(server, SD_BOTH);
  expect(await quiet(hWnd)).toBe(true);
  closeAll(client, server, ls);
});

test('re-registering after the peer closed posts FD_CLOSE again: 0 after a FIN, WSAECONNABORTED after a reset', async () => {
  const hWnd = socketWindow();
  const graceful = pair();
  check(WSAAsyncSelect(graceful.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  shutdown(graceful.client, SD_SEND);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: graceful.server, event: FD_CLOSE, error: 0 });
  check(WSAAsyncSelect(graceful.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: graceful.server, event: FD_CLOSE, error: 0 });

  const reset = pair();
  check(WSAAsyncSelect(reset.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(reset.client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt');
  closesocket(reset.client);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: reset.server, event: FD_CLOSE, error: WSAECONNABORTED });
  check(WSAAsyncSelect(reset.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: reset.server, event: FD_CLOSE, error: WSAECONNABORTED });
  expect(await quiet(hWnd)).toBe(true);
  closeAll(graceful.client, graceful.server, graceful.ls, reset.server, reset.ls);
});
