import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, closesocket, socket, ioctlsocket, send, FIONBIO, AF_INET,
  SOCK_STREAM, FD_READ, FD_WRITE, FD_CLOSE,
} from '../src/index.js';
import { loopTurns } from '@winsock-models/testing';
import { startup, pair, dial, closeAll, next, signalled, enumerate, check } from './helpers.js';

beforeAll(startup);

test('closesocket drops the registration and the record, even when the number is reused at once', async () => {
  const { ls, addr, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_WRITE | FD_CLOSE), 'WSAEventSelect');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  send(client, Buffer.from('pending'), 7, 0);
  expect(await signalled(ev, 5000)).toBe(true);  // FD_READ recorded, not enumerated
  closesocket(server);
  const again = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  expect(again).toBe(server);  // Linux hands out the lowest free descriptor: the same number
  // A fresh socket: nothing recorded, not registered (blocking mode may be chosen), no signal.
  expect(enumerate(again, null).lNetworkEvents).toBe(0);
  expect(ioctlsocket(again, FIONBIO, { value: 0 })).toBe(0);
  const c2 = dial(addr);  // activity elsewhere must not reach the old event through the reused number
  const ev2 = WSACreateEvent();
  check(WSAEventSelect(again, ev2, FD_READ | FD_WRITE), 'WSAEventSelect');
  await loopTurns();
  expect(await signalled(ev2, 0)).toBe(false);  // unconnected: nothing to report
  check(WSAEventSelect(server, ev, 0), 'WSAEventSelect');
  closeAll(again, c2, client, ls);
  WSACloseEvent(ev);
  WSACloseEvent(ev2);
});
