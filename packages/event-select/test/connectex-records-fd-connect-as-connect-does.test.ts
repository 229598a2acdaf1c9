// ConnectEx starts a connect the way connect does (socket_state.cc, StartConnectLocked): on a socket
// registered with WSAEventSelect it records FD_CONNECT once, with the connect's outcome, whether the
// connect settled within the call or later — and a refused one records WSAECONNREFUSED.
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, SOCK_STREAM, FD_CONNECT, FD_CONNECT_BIT, FD_WRITE, WSACreateEvent, WSACloseEvent, WSAEventSelect,
  WSAECONNREFUSED, WSAGetOverlappedResult, WSAOVERLAPPED, SOCKADDR_IN, bind, closesocket, inet_pton, sizeof, socket,
} from '../src/index.js';
import { ConnectEx } from '@winsock-models/core/internal';
import { loopTurns, refusedAddress } from '@winsock-models/testing';
import { startup, listener, next, enumerate, check } from './helpers.js';

beforeAll(startup);

function boundSocket() {
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  const local = new SOCKADDR_IN();
  local.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', local.sin_addr);
  check(bind(s, local, sizeof(local)), 'bind');
  return s;
}

test('a ConnectEx that succeeds records FD_CONNECT once, with error 0', async () => {
  const { ls, addr } = listener();
  const s = boundSocket();
  const ev = WSACreateEvent();
  check(WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE), 'WSAEventSelect');
  const ov = new WSAOVERLAPPED();
  ConnectEx(s, addr, sizeof(addr), null, 0, null, ov);  // TRUE at once, or FALSE with WSA_IO_PENDING
  expect(await WSAGetOverlappedResult(s, ov, { value: 0 }, true, { value: 0 })).toBe(1);
  const ne = await next(s, ev);
  expect(ne.lNetworkEvents & FD_CONNECT).toBe(FD_CONNECT);
  expect(ne.iErrorCode[FD_CONNECT_BIT]).toBe(0);
  await loopTurns();
  expect(enumerate(s, ev).lNetworkEvents & FD_CONNECT).toBe(0);  // once
  closesocket(s);
  closesocket(ls);
  WSACloseEvent(ev);
});

test('a refused ConnectEx records FD_CONNECT with WSAECONNREFUSED', async () => {
  const addr = refusedAddress();
  const s = boundSocket();
  const ev = WSACreateEvent();
  check(WSAEventSelect(s, ev, FD_CONNECT), 'WSAEventSelect');
  const ov = new WSAOVERLAPPED();
  ConnectEx(s, addr, sizeof(addr), null, 0, null, ov);
  expect(await WSAGetOverlappedResult(s, ov, { value: 0 }, true, { value: 0 })).toBe(0);
  const ne = await next(s, ev);
  expect(ne.lNetworkEvents).toBe(FD_CONNECT);
  expect(ne.iErrorCode[FD_CONNECT_BIT]).toBe(WSAECONNREFUSED);
  closesocket(s);
  WSACloseEvent(ev);
});
