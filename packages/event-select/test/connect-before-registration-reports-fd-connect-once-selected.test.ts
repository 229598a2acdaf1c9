// Event mode keeps what was recorded outside the mask (winsock-spec §3.3): a connect made before any
// registration reports FD_CONNECT with FD_WRITE once the mask includes them. Message mode clears the
// record at registration and never posts FD_CONNECT then (async-select's tests); the shared recorder
// suite pins the rest of FD_CONNECT.
import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, socket, connect, sizeof, AF_INET, SOCK_STREAM,
  FD_CONNECT, FD_CONNECT_BIT, FD_WRITE, FD_READ, FD_CLOSE,
} from '../src/index.js';
import { startup, listener, closeAll, next, check } from './helpers.js';

beforeAll(startup);

test('a connect made before any registration still reports FD_CONNECT once the mask includes it', async () => {
  const { ls, addr } = listener();
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(connect(s, addr, sizeof(addr)), 'connect');  // blocking, completes before the registration
  const ev = WSACreateEvent();
  check(WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 'WSAEventSelect');
  const ne = await next(s, ev);
  expect(ne.lNetworkEvents).toBe(FD_CONNECT | FD_WRITE);
  expect(ne.iErrorCode[FD_CONNECT_BIT]).toBe(0);
  closeAll(s, ls);
  WSACloseEvent(ev);
});
