// A condition that still holds when its re-enabling call returns is posted again at once: the message
// is in the queue when accept (more connections queued) or recv (data left) returns (winsock-spec
// §3.0). A call that drained the socket posts nothing.
import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, accept, send, recv, FD_ACCEPT, FD_READ } from '../src/index.js';
import { startup, listener, dial, pair, closeAll, socketWindow, expectMessage, drain, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('accept with another connection queued has posted FD_ACCEPT when it returns', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  check(WSAAsyncSelect(ls, hWnd, WM_SOCKET, FD_ACCEPT), 'WSAAsyncSelect');
  const c1 = dial(addr), c2 = dial(addr);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: ls, event: FD_ACCEPT, error: 0 });
  const a1 = check(accept(ls, null, null), 'accept');
  expect(drain(hWnd).map((m) => [m.socket, m.event])).toEqual([[ls, FD_ACCEPT]]);
  const a2 = check(accept(ls, null, null), 'accept');
  expect(drain(hWnd)).toEqual([]);
  closeAll(a1, a2, c1, c2, ls);
});

test('recv that leaves data has posted FD_READ when it returns; recv that drains posts nothing', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  check(send(client, Buffer.from('0123456789'), 10, 0), 'send');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  const b = Buffer.alloc(64);
  expect(recv(server, b, 4, 0)).toBe(4);
  expect(drain(hWnd).map((m) => m.event)).toEqual([FD_READ]);
  expect(recv(server, b, 64, 0)).toBe(6);
  expect(drain(hWnd)).toEqual([]);
  closeAll(client, server, ls);
});
