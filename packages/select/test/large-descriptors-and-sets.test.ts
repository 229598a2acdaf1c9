// The limit is the set's count, never the descriptor's value (libc's FD_SET stops at 1024).
import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, MAKEWORD, WSADATA, INVALID_SOCKET, AF_INET, SOCK_DGRAM, fd_set, FD_SET, FD_ISSET, select, timeval,
  send, socket, closesocket, type SOCKET,
} from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

// Pads the descriptor table until the next socket's number is above 1024; null when the process'
// descriptor limit does not allow it.
function padPast1024(): SOCKET[] | null {
  const pad: SOCKET[] = [];
  for (let i = 0; i < 1100; i++) {
    const s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s === INVALID_SOCKET) { for (const p of pad) closesocket(p); return null; }
    pad.push(s);
    if (s > 1030) return pad;
  }
  return pad;
}

test('sockets numbered above 1024 are selected like any other', async (ctx) => {
  const pad = padPast1024();
  if (!pad) { ctx.skip('the descriptor limit (RLIMIT_NOFILE) is below 1031'); return; }
  try {
    const { client, server } = tcpPair();
    expect(server).toBeGreaterThan(1024);
    const r = new fd_set();
    FD_SET(server, r);
    const pending = select(0, r, null, null, new timeval(5, 0));
    send(client, Buffer.from('x'), 1, 0);
    expect(await pending).toBe(1);
    expect(FD_ISSET(server, r)).toBe(1);
  } finally {
    for (const p of pad) closesocket(p);
  }
});

test('a set with a larger capacity carries more than 64 sockets', async () => {
  const pairs = Array.from({ length: 70 }, () => tcpPair());
  const w = new fd_set(128);
  for (const p of pairs) FD_SET(p.client, w);
  expect(w.fd_count).toBe(70);
  expect(await select(0, null, w, null, new timeval(0, 0))).toBe(70);
});
