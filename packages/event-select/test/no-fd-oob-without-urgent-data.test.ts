// FD_OOB is recorded only for urgent data. A peer's reset records FD_CLOSE with WSAECONNABORTED and
// nothing else; a shutdown(SD_BOTH) facing the peer's shutdown(SD_RECEIVE) records nothing (a local
// shutdown never records FD_CLOSE, and no urgent byte came). Linux's error and hang-up wakes look like
// urgent data to the loop; the recorder asks the socket before it believes them.
import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, setsockopt, closesocket, shutdown, send, LINGER, SOL_SOCKET,
  SO_LINGER, sizeof, FD_ALL_EVENTS, FD_CLOSE, FD_CLOSE_BIT, FD_OOB, FD_WRITE, SD_BOTH, SD_RECEIVE, MSG_OOB,
  WSAECONNABORTED, type SOCKET, type WSAEVENT,
} from '../src/index.js';
import { startup, pair, closeAll, collect, check, next } from './helpers.js';

beforeAll(startup);

/** Every event s records within ms (bounded), OR-ed. */
async function everything(s: SOCKET, ev: WSAEVENT, ms: number): Promise<{ seen: number; err: number[] }> {
  return collect(s, ev, 0x3ff, ms);
}

test('a peer reset records FD_CLOSE (WSAECONNABORTED) and no FD_OOB', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_ALL_EVENTS), 'WSAEventSelect');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(client, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt');
  closesocket(client);  // abortive close: RST
  const first = await collect(server, ev, FD_CLOSE);
  expect(first.err[FD_CLOSE_BIT]).toBe(WSAECONNABORTED);
  const after = await everything(server, ev, 300);
  expect([first.seen, after.seen]).toEqual([FD_CLOSE, 0]);
  closeAll(server, ls);
  WSACloseEvent(ev);
});

test('shutdown(SD_BOTH) facing the peer\'s shutdown(SD_RECEIVE) records no FD_OOB on either side', async () => {
  const { ls, client, server } = pair();
  const ec = WSACreateEvent(), es = WSACreateEvent();
  check(WSAEventSelect(client, ec, FD_ALL_EVENTS), 'WSAEventSelect');
  check(WSAEventSelect(server, es, FD_ALL_EVENTS), 'WSAEventSelect');
  await next(client, ec);
  expect((await next(server, es)).lNetworkEvents).toBe(FD_WRITE);
  check(shutdown(client, SD_RECEIVE), 'shutdown');
  check(shutdown(server, SD_BOTH), 'shutdown');
  const [c, s] = await Promise.all([everything(client, ec, 300), everything(server, es, 300)]);
  expect([c.seen & FD_OOB, s.seen]).toEqual([0, 0]);
  closeAll(client, server, ls);
  WSACloseEvent(ec);
  WSACloseEvent(es);
});

test('real urgent data still records FD_OOB', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_OOB), 'WSAEventSelect');
  expect(send(client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_OOB);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
