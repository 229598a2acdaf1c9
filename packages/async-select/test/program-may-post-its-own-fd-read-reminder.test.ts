// A program that does not recv after FD_READ may post the message to itself (the textbook's advice for a
// busy handler): the window queue takes it like the recorder's own (the shared recorder suite pins
// FD_READ's recording and re-enabling).
import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, WSAMAKESELECTREPLY, PostMessage, send, recv, shutdown, FD_READ, FD_CLOSE, SD_SEND } from '../src/index.js';
import { startup, pair, closeAll, socketWindow, expectMessage, drain, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('a program that does not recv after FD_READ may post the message itself with PostMessage', async () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  send(client, Buffer.from('later'), 5, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ event: FD_READ });
  // Busy: the program defers the read and reminds itself.
  expect(PostMessage(hWnd, WM_SOCKET, server, WSAMAKESELECTREPLY(FD_READ, 0))).toBe(1);
  expect(await expectMessage(hWnd)).toEqual({
    message: WM_SOCKET, socket: server, event: FD_READ, error: 0, lParam: WSAMAKESELECTREPLY(FD_READ, 0),
  });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(5);
  expect(drain(hWnd)).toEqual([]);  // drained: the recv posted nothing
  shutdown(client, SD_SEND);  // the marker: FD_CLOSE is the next message, nothing before it
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_CLOSE });
  closeAll(client, server, ls);
});
