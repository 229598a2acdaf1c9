import { afterEach, beforeAll, expect, test } from 'vitest';
import { WSAStartup, MAKEWORD, WSADATA, AF_INET6, fd_set, FD_SET, select, timeval, send } from '../src/index.js';
import { closeAll, hasIPv6, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('select works on IPv6 sockets over ::1', async (ctx) => {
  if (!hasIPv6()) { ctx.skip('this machine has no ::1'); return; }
  const { client, server } = tcpPair(AF_INET6);
  const r = new fd_set();
  const w = new fd_set();
  FD_SET(server, r); FD_SET(client, w);
  const pending = select(0, r, null, null, new timeval(5, 0));
  send(client, Buffer.from('6'), 1, 0);
  expect(await pending).toBe(1);
  expect(await select(0, null, w, null, new timeval(0, 0))).toBe(1);
});
