import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, DestroyWindow, PeekMessage, MSG, PM_NOREMOVE, send, recv, ioctlsocket, socket, closesocket, FIONBIO, AF_INET,
  SOCK_STREAM, FD_READ, FD_WRITE, FD_CLOSE, SOCKET_ERROR, WSAGetLastError, WSAEINVAL, WSAENOTSOCK, WSAEWOULDBLOCK,
  WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, WSA_WAIT_TIMEOUT, FALSE,
} from '../src/index.js';
import { native } from '@winsock-models/core/internal';
import { startup, pair, closeAll, socketWindow, expectMessage, drain, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

/** Whether hWnd has a queued message, left in the queue. */
function queued(hWnd: number): boolean {
  return PeekMessage(new MSG(), hWnd, 0, 0, PM_NOREMOVE) !== 0;
}

test('a new call replaces the old: later messages carry the new wMsg, and every condition that holds is posted afresh', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_WRITE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET, event: FD_WRITE });
  send(client, Buffer.from('queued'), 6, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET, event: FD_READ });
  // The data is still unread and the socket still writable: both are posted again, with the new message.
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET + 5, FD_READ | FD_WRITE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET + 5, socket: server, event: FD_READ });
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET + 5, socket: server, event: FD_WRITE });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(6);
  send(client, Buffer.from('more'), 4, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET + 5, event: FD_READ });
  expect(drain(hWnd)).toEqual([]);
  closeAll(client, server, ls);
});

test('messages queued before closesocket or a cancellation are still delivered; the program must tolerate them', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_WRITE), 'WSAAsyncSelect');
  expect(queued(hWnd)).toBe(true);  // FD_WRITE, posted before the registration returned
  closesocket(server);
  const stale = await expectMessage(hWnd);
  expect(stale).toMatchObject({ message: WM_SOCKET, socket: server, event: FD_WRITE });
  expect(send(stale.socket, Buffer.from('x'), 1, 0)).toBe(SOCKET_ERROR);  // the socket is gone
  expect(WSAGetLastError()).toBe(WSAENOTSOCK);

  const other = pair();
  check(WSAAsyncSelect(other.server, hWnd, WM_SOCKET, FD_WRITE), 'WSAAsyncSelect');
  expect(queued(hWnd)).toBe(true);
  check(WSAAsyncSelect(other.server, hWnd, 0, 0), 'WSAAsyncSelect');
  expect(drain(hWnd)).toEqual([expect.objectContaining({ socket: other.server, event: FD_WRITE })]);
  closeAll(client, ls, other.client, other.server, other.ls);
});

test('a window that does not exist is WSAEINVAL; a closed socket is WSAENOTSOCK; lEvent 0 ignores the window', () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  expect(WSAAsyncSelect(server, 0, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(WSAAsyncSelect(server, null, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(WSAAsyncSelect(server, 0x7ffffff0, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  const gone = socketWindow();
  DestroyWindow(gone);
  expect(WSAAsyncSelect(server, gone, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  // A failed call leaves the socket unregistered: FIONBIO(0) still works.
  expect(ioctlsocket(server, FIONBIO, { value: 0 })).toBe(0);
  expect(WSAAsyncSelect(server, null, 0, 0)).toBe(0);
  closeAll(client, server, ls);
  expect(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTSOCK);
  const fresh = socket(AF_INET, SOCK_STREAM, 0);
  expect(() => WSAAsyncSelect(fresh, hWnd, WM_SOCKET, 'x' as unknown as number)).toThrow(TypeError);
  closeAll(fresh);
});

test('WSAAsyncSelect replaces a WSAEventSelect registration: the event is no longer signalled', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(native.WSAEventSelect(server, ev, FD_READ), 'WSAEventSelect');
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  send(client, Buffer.from('x'), 1, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  // The message came from the recording that would have set the event: it is not set (timeout 0).
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
