import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, WSAGetLastError, SOCKET_ERROR, FD_READ, FD_WRITE, FD_CLOSE, closesocket } from '../src/index.js';
import { startup, pair, socketWindow, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('WSAAsyncSelect answers any argument with 0, SOCKET_ERROR and a WSA code, or a TypeError', () => {
  const hWnd = socketWindow();
  const { ls, client, server } = pair();
  const closed = pair();
  closesocket(closed.server);
  const sockets: unknown[] = [server, closed.server, -1, NaN, 1.5, 2 ** 40, Infinity, null, 'x'];
  const windows: unknown[] = [hWnd, null, undefined, 0, -1, NaN, 2 ** 53, 'x', {}];
  const msgs: unknown[] = [WM_SOCKET, 0, -1, NaN, 2 ** 33, 'x'];
  const events: unknown[] = [FD_READ | FD_WRITE | FD_CLOSE, 0, -1, NaN, 2 ** 40, 'x'];
  let answered = 0;
  let typeErrors = 0;
  for (const s of sockets) for (const w of windows) for (const m of msgs) for (const e of events) {
    try {
      const r = (WSAAsyncSelect as (...a: unknown[]) => number)(s, w, m, e);
      if (r === SOCKET_ERROR) expect(WSAGetLastError()).toBeGreaterThanOrEqual(10004);
      else expect(r).toBe(0);
      answered++;
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
      typeErrors++;
    }
  }
  expect(answered + typeErrors).toBe(sockets.length * windows.length * msgs.length * events.length);
  expect(answered).toBeGreaterThan(0);
  expect(typeErrors).toBeGreaterThan(0);
  for (const s of [client, server, ls, closed.client, closed.ls]) closesocket(s);
});
