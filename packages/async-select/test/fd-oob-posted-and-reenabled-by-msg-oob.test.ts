import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, send, recv, FD_OOB, MSG_OOB } from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('urgent data posts FD_OOB (error 0); recv(MSG_OOB) re-enables it', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_OOB), 'WSAAsyncSelect');
  expect(send(client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
  expect(await expectMessage(hWnd)).toEqual({ message: WM_SOCKET, socket: server, event: FD_OOB, error: 0, lParam: FD_OOB });
  const b = Buffer.alloc(1);
  expect(recv(server, b, 1, MSG_OOB)).toBe(1);
  expect(b.toString()).toBe('!');
  expect(await quiet(hWnd)).toBe(true);  // no urgent byte left
  expect(send(client, Buffer.from('?'), 1, MSG_OOB)).toBe(1);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_OOB });
  closeAll(client, server, ls);
});
