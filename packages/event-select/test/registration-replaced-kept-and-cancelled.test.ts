import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, WSAResetEvent, send, recv, ioctlsocket, FIONBIO, FD_READ, FD_WRITE,
  FD_CLOSE, FD_ACCEPT, SOCKET_ERROR, WSAGetLastError, WSAEINVAL, WSAEWOULDBLOCK,
} from '../src/index.js';
import { startup, pair, listener, dial, closeAll, next, signalled, enumerate, check } from './helpers.js';

beforeAll(startup);

test('a new registration replaces the old: only the new event is signalled', async () => {
  const { ls, client, server } = pair();
  const a = WSACreateEvent();
  const b = WSACreateEvent();
  check(WSAEventSelect(server, a, FD_READ), 'WSAEventSelect');
  check(WSAEventSelect(server, b, FD_READ), 'WSAEventSelect');
  send(client, Buffer.from('x'), 1, 0);
  expect((await next(server, b)).lNetworkEvents).toBe(FD_READ);
  expect(await signalled(a, 0)).toBe(false);
  closeAll(client, server, ls);
  WSACloseEvent(a);
  WSACloseEvent(b);
});

test('events recorded but not enumerated signal the new event at once; reported ones are not re-recorded', async () => {
  const { ls, addr } = listener();
  const a = WSACreateEvent();
  check(WSAEventSelect(ls, a, FD_ACCEPT), 'WSAEventSelect');
  const c = dial(addr);
  expect(await signalled(a, 5000)).toBe(true);
  // Re-registering without FD_ACCEPT leaves the old event set and does not signal the new one.
  const b = WSACreateEvent();
  check(WSAEventSelect(ls, b, FD_CLOSE), 'WSAEventSelect');
  expect(await signalled(b, 0)).toBe(false);
  expect(await signalled(a, 0)).toBe(true);
  // Re-registering with FD_ACCEPT: P ∩ M is not empty, so the new event is set at once.
  check(WSAEventSelect(ls, b, FD_ACCEPT), 'WSAEventSelect');
  expect(await signalled(b, 0)).toBe(true);
  expect(enumerate(ls, b).lNetworkEvents).toBe(FD_ACCEPT);
  // The connection is still queued, but FD_ACCEPT stays reported until accept: a fresh registration
  // records nothing new.
  WSAResetEvent(b);
  check(WSAEventSelect(ls, b, FD_ACCEPT), 'WSAEventSelect');
  expect(await signalled(b, 100)).toBe(false);
  closeAll(c, ls);
  WSACloseEvent(a);
  WSACloseEvent(b);
});

test('mask 0 cancels: nothing is signalled, and FIONBIO(0) is allowed again', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_WRITE | FD_CLOSE), 'WSAEventSelect');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  expect(ioctlsocket(server, FIONBIO, { value: 0 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  check(WSAEventSelect(server, null, 0), 'WSAEventSelect');
  send(client, Buffer.from('x'), 1, 0);
  expect(await signalled(ev, 150)).toBe(false);
  // Still non-blocking after the cancellation, until the program says otherwise.
  expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(1);
  expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(ioctlsocket(server, FIONBIO, { value: 0 })).toBe(0);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('argument errors: a null event with a mask is WSAEINVAL, a closed socket WSAENOTSOCK', () => {
  const { ls, client, server } = pair();
  expect(WSAEventSelect(server, null, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  const ev = WSACreateEvent();
  WSACloseEvent(ev);
  expect(WSAEventSelect(server, ev, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  closeAll(client, server, ls);
  expect(WSAEventSelect(server, WSACreateEvent(), FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(10038);
});
