import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, PostMessage, GetMessage, MSG, WM_USER, send, FD_READ, FD_WRITE } from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('socket messages and PostMessage messages share one queue, in post order', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  PostMessage(hWnd, WM_USER + 9, 1, 0);
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_WRITE), 'WSAAsyncSelect');  // FD_WRITE is posted by this call
  PostMessage(hWnd, WM_USER + 9, 2, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_USER + 9, socket: 1 });
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET, socket: server, event: FD_WRITE });
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_USER + 9, socket: 2 });
  closeAll(client, server, ls);
});

test('a message-range filter takes the socket messages first; a waiting GetMessage is woken by one', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  PostMessage(hWnd, WM_USER + 9, 0, 0);
  const msg = new MSG();
  const waiting = GetMessage(msg, hWnd, WM_SOCKET, WM_SOCKET);
  send(client, Buffer.from('x'), 1, 0);
  expect(await waiting).toBe(1);
  expect([msg.hwnd, msg.message, msg.wParam, msg.lParam]).toEqual([hWnd, WM_SOCKET, server, FD_READ]);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_USER + 9 });  // left in the queue
  closeAll(client, server, ls);
});
