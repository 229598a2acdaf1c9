import { beforeAll, expect, test } from 'vitest';
import { WSACreateEvent, WSACloseEvent, WSAEventSelect, accept, FD_ACCEPT, FD_ACCEPT_BIT, FD_CLOSE, INVALID_SOCKET } from '../src/index.js';
import { startup, listener, dial, closeAll, next, signalled, check } from './helpers.js';

beforeAll(startup);

test('a connection queued before registration is seen at once as FD_ACCEPT with error 0', async () => {
  const { ls, addr } = listener();
  const c = dial(addr);
  const ev = WSACreateEvent();
  check(WSAEventSelect(ls, ev, FD_ACCEPT | FD_CLOSE), 'WSAEventSelect');
  expect(await signalled(ev, 0)).toBe(true);  // recorded by the registration itself
  const ne = await next(ls, ev);
  expect(ne.lNetworkEvents).toBe(FD_ACCEPT);
  expect(ne.iErrorCode[FD_ACCEPT_BIT]).toBe(0);
  closeAll(c, ls);
  WSACloseEvent(ev);
});

test('FD_ACCEPT is not recorded again until accept, and again at once while connections remain', async () => {
  const { ls, addr } = listener();
  const ev = WSACreateEvent();
  check(WSAEventSelect(ls, ev, FD_ACCEPT), 'WSAEventSelect');
  const c1 = dial(addr);
  expect((await next(ls, ev)).lNetworkEvents).toBe(FD_ACCEPT);
  const c2 = dial(addr);
  expect(await signalled(ev, 150)).toBe(false);  // FD_ACCEPT is in R: no accept yet
  const s1 = accept(ls, null, null);
  expect(s1).not.toBe(INVALID_SOCKET);
  expect((await next(ls, ev)).lNetworkEvents).toBe(FD_ACCEPT);  // c2 still queued
  const s2 = accept(ls, null, null);
  expect(s2).not.toBe(INVALID_SOCKET);
  expect(await signalled(ev, 150)).toBe(false);  // nothing queued any more
  closeAll(c1, c2, s1, s2, ls);
  WSACloseEvent(ev);
});
