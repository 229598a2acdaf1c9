import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, shutdown, setsockopt, closesocket, send, LINGER, SOL_SOCKET,
  SO_LINGER, sizeof, FD_READ, FD_WRITE, FD_CLOSE, FD_CLOSE_BIT, SD_SEND,
} from '../src/index.js';
import { startup, pair, next, check } from './helpers.js';

beforeAll(startup);

// A reset that arrives after FD_CLOSE was recorded leaves a socket error (POLLERR) that no FD_* event
// will report; the recorder must consume it, or the loop wakes for it forever. The assertion is on CPU
// consumed, not on time: an idle process uses next to nothing, a spinning one all it is given.
test('a peer reset after the graceful FD_CLOSE is absorbed: the idle process does not spin', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_WRITE | FD_CLOSE), 'WSAEventSelect');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  shutdown(client, SD_SEND);
  const closed = await next(server, ev);
  expect(closed.lNetworkEvents).toBe(FD_CLOSE);
  expect(closed.iErrorCode[FD_CLOSE_BIT]).toBe(0);
  send(server, Buffer.from('unread'), 6, 0);  // the client never reads it, so its close resets
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  setsockopt(client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger));
  closesocket(client);
  const before = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 300));
  const used = process.cpuUsage(before);
  expect((used.user + used.system) / 1000).toBeLessThan(200);  // milliseconds of CPU in the window
  closesocket(server);
  closesocket(ls);
  WSACloseEvent(ev);
});
