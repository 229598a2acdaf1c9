// Event mode keeps the record across registrations (winsock-spec §3.3): what was recorded and not
// enumerated signals a new event whose mask includes it; what was reported is not recorded again.
// Replacement and cancellation themselves are in the shared recorder suite.
import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, WSAResetEvent, send, recv, ioctlsocket, FIONBIO, FD_READ, FD_WRITE,
  FD_CLOSE, FD_ACCEPT, SOCKET_ERROR, WSAGetLastError, WSAEINVAL, WSAEWOULDBLOCK,
} from '../src/index.js';
import { loopTurns } from '@winsock-models/testing';
import { startup, pair, listener, dial, closeAll, signalled, enumerate, check } from './helpers.js';

beforeAll(startup);

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
  // records nothing new, neither at once nor when the loop looks at the listener again.
  WSAResetEvent(b);
  check(WSAEventSelect(ls, b, FD_ACCEPT), 'WSAEventSelect');
  await loopTurns();
  expect(await signalled(b, 0)).toBe(false);
  closeAll(c, ls);
  WSACloseEvent(a);
  WSACloseEvent(b);
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
