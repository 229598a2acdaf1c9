import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, send, recv, setsockopt, SOL_SOCKET, SO_SNDBUF, SO_RCVBUF, FD_READ, FD_WRITE, FD_CLOSE, SOCKET_ERROR,
  WSAGetLastError, WSAEWOULDBLOCK,
} from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('a connected socket gets FD_WRITE (lParam 0x2) at registration, once: successful sends post nothing', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_WRITE | FD_CLOSE), 'WSAAsyncSelect');
  const m = await expectMessage(hWnd);
  expect(m).toEqual({ message: WM_SOCKET, socket: server, event: FD_WRITE, error: 0, lParam: 0x00000002 });
  expect(send(server, Buffer.from('x'), 1, 0)).toBe(1);
  expect(await quiet(hWnd)).toBe(true);
  closeAll(client, server, ls);
});

test('after a send fails with WSAEWOULDBLOCK, FD_WRITE is posted again once space appears', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  setsockopt(server, SOL_SOCKET, SO_SNDBUF, { value: 4096 }, 4);
  setsockopt(client, SOL_SOCKET, SO_RCVBUF, { value: 4096 }, 4);
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_WRITE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ event: FD_WRITE });
  const chunk = Buffer.alloc(65536, 1);
  let sent = 0;
  let r = 0;
  for (let i = 0; i < 10_000; i++) {  // bounded: the buffers hold far less than 10,000 chunks
    r = send(server, chunk, chunk.length, 0);
    if (r === SOCKET_ERROR) break;
    sent += r;
  }
  expect(r).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(await quiet(hWnd, 100)).toBe(true);  // no space yet
  const sink = Buffer.alloc(65536);
  let drained = 0;
  for (let i = 0; i < 100_000 && drained < sent; i++) drained += recv(client, sink, sink.length, 0);
  expect(drained).toBe(sent);
  expect(await expectMessage(hWnd)).toEqual({ message: WM_SOCKET, socket: server, event: FD_WRITE, error: 0, lParam: FD_WRITE });
  expect(await quiet(hWnd)).toBe(true);
  closeAll(client, server, ls);
});
