import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, WSAMAKESELECTREPLY, PostMessage, send, recv, FD_READ, FD_READ_BIT, SOCKET_ERROR, WSAEFAULT,
  WSAGetLastError, WSARecv,
} from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('FD_READ is posted once; more data posts nothing until recv, which re-posts it while data remains', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  send(client, Buffer.from('0123456789'), 10, 0);
  const m = await expectMessage(hWnd);
  expect(m).toEqual({ message: WM_SOCKET, socket: server, event: FD_READ, error: 0, lParam: 1 << FD_READ_BIT });
  send(client, Buffer.from('abcdef'), 6, 0);
  expect(await quiet(hWnd)).toBe(true);  // no recv yet: no second FD_READ
  expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(4);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });  // 12 bytes remain
  expect(recv(server, Buffer.alloc(64), 64, 0)).toBe(12);
  expect(await quiet(hWnd)).toBe(true);  // re-enabled, but nothing is left to read
  send(client, Buffer.from('!'), 1, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  closeAll(client, server, ls);
});

test('a program that does not recv after FD_READ may post the message itself with PostMessage', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  send(client, Buffer.from('later'), 5, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ event: FD_READ });
  // Busy: the program defers the read and reminds itself.
  expect(PostMessage(hWnd, WM_SOCKET, server, WSAMAKESELECTREPLY(FD_READ, 0))).toBe(1);
  expect(await expectMessage(hWnd)).toEqual({
    message: WM_SOCKET, socket: server, event: FD_READ, error: 0, lParam: WSAMAKESELECTREPLY(FD_READ, 0),
  });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(5);
  expect(await quiet(hWnd)).toBe(true);
  closeAll(client, server, ls);
});

test('a recv refused with WSAEFAULT re-enables FD_READ all the same: it is posted again while data remains', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  send(client, Buffer.from('unread'), 6, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  expect(recv(server, Buffer.alloc(4), -1, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  // A WSABUF longer than its buffer is refused the same way, and re-posts the same way.
  expect(WSARecv(server, [{ len: 64, buf: Buffer.alloc(4) }], 1, { value: 0 }, { value: 0 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(6);  // nothing was consumed by the refused calls
  expect(await quiet(hWnd)).toBe(true);
  closeAll(client, server, ls);
});
