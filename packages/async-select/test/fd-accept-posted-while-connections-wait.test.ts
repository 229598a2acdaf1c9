import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, WSAMAKESELECTREPLY, accept, FD_ACCEPT } from '../src/index.js';
import { startup, listener, dial, closeAll, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('a waiting connection posts FD_ACCEPT (wParam the listener, error 0), again after each accept while more wait', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  check(WSAAsyncSelect(ls, hWnd, WM_SOCKET, FD_ACCEPT), 'WSAAsyncSelect');
  expect(await quiet(hWnd, 50)).toBe(true);  // nobody has connected yet
  const c1 = dial(addr);
  const c2 = dial(addr);
  const m = await expectMessage(hWnd);
  expect(m).toEqual({ message: WM_SOCKET, socket: ls, event: FD_ACCEPT, error: 0, lParam: WSAMAKESELECTREPLY(FD_ACCEPT, 0) });
  expect(await quiet(hWnd)).toBe(true);  // not posted again before accept
  const a1 = check(accept(ls, null, null), 'accept');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: ls, event: FD_ACCEPT });  // c2 still waits
  const a2 = check(accept(ls, null, null), 'accept');
  expect(await quiet(hWnd)).toBe(true);  // the backlog is empty
  closeAll(c1, c2, a1, a2, ls);
});
