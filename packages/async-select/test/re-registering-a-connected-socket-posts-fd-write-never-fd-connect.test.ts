// Message mode clears the record at registration (winsock-spec §3.2): re-registering a connected socket
// posts FD_WRITE again, never FD_CONNECT [observed, T test_connect_events]. A connect's own messages come
// as two, FD_CONNECT then FD_WRITE (the shared recorder suite pins the rest of FD_CONNECT).
import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, socket, connect, sizeof, AF_INET, SOCK_STREAM, FD_CONNECT, FD_WRITE, FD_READ, FD_CLOSE } from '../src/index.js';
import { startup, listener, closeAll, socketWindow, expectMessage, drain, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

const ALL = FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE;

test('re-registering a connected socket posts FD_WRITE again but never FD_CONNECT', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET, ALL), 'WSAAsyncSelect');
  connect(s, addr, sizeof(addr));
  expect((await expectMessage(hWnd)).event).toBe(FD_CONNECT);
  expect((await expectMessage(hWnd)).event).toBe(FD_WRITE);
  check(WSAAsyncSelect(s, hWnd, WM_SOCKET, ALL), 'WSAAsyncSelect');
  // Everything the registration posts is queued when it returns: FD_WRITE alone.
  expect(drain(hWnd).map((m) => [m.socket, m.event])).toEqual([[s, FD_WRITE]]);
  closeAll(s, ls);
});
