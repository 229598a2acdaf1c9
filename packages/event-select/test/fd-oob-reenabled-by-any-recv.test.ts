// FD_OOB is re-enabled by the whole receive family, with or without MSG_OOB (winsock-spec §3.7;
// Wine differs: only recv(MSG_OOB) clears it). An urgent byte still unread after a plain recv is
// recorded again.
import { beforeAll, expect, test } from 'vitest';
import { WSACreateEvent, WSACloseEvent, WSAEventSelect, send, recv, FD_OOB, FD_READ, MSG_OOB } from '../src/index.js';
import { startup, pair, closeAll, next, collect, check } from './helpers.js';

beforeAll(startup);

test('a plain recv re-enables FD_OOB: the unread urgent byte is recorded again', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_OOB | FD_READ), 'WSAEventSelect');
  expect(send(client, Buffer.from('data'), 4, 0)).toBe(4);
  expect(send(client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
  const first = await collect(server, ev, FD_OOB | FD_READ);
  expect(first.seen).toBe(FD_OOB | FD_READ);
  expect(recv(server, Buffer.alloc(16), 16, 0)).toBe(4);  // normal data only; the urgent byte stays
  expect((await next(server, ev)).lNetworkEvents & FD_OOB).toBe(FD_OOB);
  const b = Buffer.alloc(1);
  expect(recv(server, b, 1, MSG_OOB)).toBe(1);
  expect(b.toString()).toBe('!');
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
