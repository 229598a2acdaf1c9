// Message mode clears the record at registration (winsock-spec §3.2), so re-registering after the peer
// closed posts FD_CLOSE again: error 0 after a FIN, WSAECONNABORTED after a reset [observed; Wine
// differs]. Event mode keeps the record and reports it once (the shared recorder suite).
import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, setsockopt, closesocket, shutdown, LINGER, SOL_SOCKET, SO_LINGER, sizeof, FD_CLOSE, SD_SEND,
  WSAECONNABORTED,
} from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, drain, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('re-registering after the peer closed posts FD_CLOSE again: 0 after a FIN, WSAECONNABORTED after a reset', async () => {
  const hWnd = socketWindow();
  const graceful = pair();
  check(WSAAsyncSelect(graceful.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  shutdown(graceful.client, SD_SEND);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: graceful.server, event: FD_CLOSE, error: 0 });
  check(WSAAsyncSelect(graceful.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  // Posted by the registration itself, before it returned.
  expect(drain(hWnd)).toEqual([expect.objectContaining({ socket: graceful.server, event: FD_CLOSE, error: 0 })]);

  const reset = pair();
  check(WSAAsyncSelect(reset.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(reset.client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt');
  closesocket(reset.client);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: reset.server, event: FD_CLOSE, error: WSAECONNABORTED });
  check(WSAAsyncSelect(reset.server, hWnd, WM_SOCKET, FD_CLOSE), 'WSAAsyncSelect');
  expect(drain(hWnd)).toEqual([expect.objectContaining({ socket: reset.server, event: FD_CLOSE, error: WSAECONNABORTED })]);
  closeAll(graceful.client, graceful.server, graceful.ls, reset.server, reset.ls);
});
