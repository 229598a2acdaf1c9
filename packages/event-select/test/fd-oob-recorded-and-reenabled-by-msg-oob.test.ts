import { beforeAll, expect, test } from 'vitest';
import { WSACreateEvent, WSACloseEvent, WSAEventSelect, send, recv, FD_OOB, FD_OOB_BIT, MSG_OOB } from '../src/index.js';
import { startup, pair, closeAll, next, signalled, check } from './helpers.js';

beforeAll(startup);

test('urgent data records FD_OOB; recv(MSG_OOB) re-enables it', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_OOB), 'WSAEventSelect');
  expect(send(client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
  const ne = await next(server, ev);
  expect(ne.lNetworkEvents).toBe(FD_OOB);
  expect(ne.iErrorCode[FD_OOB_BIT]).toBe(0);
  const b = Buffer.alloc(1);
  expect(recv(server, b, 1, MSG_OOB)).toBe(1);
  expect(b.toString()).toBe('!');
  expect(await signalled(ev, 150)).toBe(false);  // no urgent byte left
  expect(send(client, Buffer.from('?'), 1, MSG_OOB)).toBe(1);
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_OOB);  // re-enabled by the MSG_OOB recv
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
