// FD_OOB is posted only for urgent data: a peer's reset posts FD_CLOSE with WSAECONNABORTED
// (lParam 0x27450020) and then nothing; shutdown(SD_BOTH) facing the peer's shutdown(SD_RECEIVE)
// posts no FD_OOB (winsock-spec §3.7).
import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, setsockopt, closesocket, shutdown, LINGER, SOL_SOCKET, SO_LINGER, sizeof, FD_ALL_EVENTS, FD_CLOSE,
  FD_OOB, FD_WRITE, SD_BOTH, SD_RECEIVE, WSAECONNABORTED,
} from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, nextMessage, check, WM_SOCKET, type SocketMessage } from './helpers.js';

beforeAll(startup);

/** Every message for hWnd until none comes for ms. */
async function rest(hWnd: number, ms = 300): Promise<SocketMessage[]> {
  const out: SocketMessage[] = [];
  for (let m = await nextMessage(hWnd, ms); m; m = await nextMessage(hWnd, ms)) out.push(m);
  return out;
}

test('a peer reset posts FD_CLOSE with WSAECONNABORTED, then no FD_OOB', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_ALL_EVENTS), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_WRITE });
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt');
  closesocket(client);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_CLOSE, error: WSAECONNABORTED, lParam: 0x27450020 });
  expect(await rest(hWnd)).toEqual([]);
  closeAll(server, ls);
});

test('shutdown(SD_BOTH) facing the peer\'s shutdown(SD_RECEIVE) posts no FD_OOB', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(client, hWnd, WM_SOCKET, FD_ALL_EVENTS), 'WSAAsyncSelect');
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_ALL_EVENTS), 'WSAAsyncSelect');
  const writes = [await expectMessage(hWnd), await expectMessage(hWnd)];
  expect(writes.map((m) => m.event)).toEqual([FD_WRITE, FD_WRITE]);
  check(shutdown(client, SD_RECEIVE), 'shutdown');
  check(shutdown(server, SD_BOTH), 'shutdown');
  const events = (await rest(hWnd)).map((m) => m.event);
  expect(events.filter((e) => e === FD_OOB)).toEqual([]);
  closeAll(client, server, ls);
});
