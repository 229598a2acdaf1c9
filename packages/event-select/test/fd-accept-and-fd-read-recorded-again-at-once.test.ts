// A condition that still holds when its re-enabling call returns is recorded again at once, before
// the call returns (winsock-spec §3.0: "recorded again at once if the condition still holds"): accept
// with more connections queued, recv that leaves data (or peeks), recvfrom with another datagram
// waiting. A call that drained the socket records nothing.
import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, accept, send, recv, sendto, recvfrom, socket, bind, getsockname,
  closesocket, inet_pton, sizeof, SOCKADDR_IN, AF_INET, SOCK_DGRAM, FD_ACCEPT, FD_READ, MSG_PEEK,
} from '../src/index.js';
import { startup, listener, dial, pair, closeAll, next, enumerate, check } from './helpers.js';

beforeAll(startup);

test('accept with another connection queued records FD_ACCEPT before it returns; the last accept does not', async () => {
  const { ls, addr } = listener();
  const ev = WSACreateEvent();
  check(WSAEventSelect(ls, ev, FD_ACCEPT), 'WSAEventSelect');
  const c1 = dial(addr), c2 = dial(addr);  // both wait in the backlog once connect returns
  expect((await next(ls, ev)).lNetworkEvents).toBe(FD_ACCEPT);
  const a1 = check(accept(ls, null, null), 'accept');
  expect(enumerate(ls, ev).lNetworkEvents).toBe(FD_ACCEPT);  // at once, not a loop turn later
  const a2 = check(accept(ls, null, null), 'accept');
  expect(enumerate(ls, ev).lNetworkEvents).toBe(0);
  closeAll(a1, a2, c1, c2, ls);
  WSACloseEvent(ev);
});

test('recv that leaves data records FD_READ before it returns; recv that drains does not', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ), 'WSAEventSelect');
  check(send(client, Buffer.from('0123456789'), 10, 0), 'send');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_READ);
  const b = Buffer.alloc(64);
  expect(recv(server, b, 4, 0)).toBe(4);
  expect(enumerate(server, ev).lNetworkEvents).toBe(FD_READ);
  expect(recv(server, b, 2, MSG_PEEK)).toBe(2);  // a peek leaves the data
  expect(enumerate(server, ev).lNetworkEvents).toBe(FD_READ);
  expect(recv(server, b, 64, 0)).toBe(6);  // drained: nothing is recorded
  expect(enumerate(server, ev).lNetworkEvents).toBe(0);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('recvfrom with another datagram waiting records FD_READ before it returns', async () => {
  const u = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  check(bind(u, addr, sizeof(addr)), 'bind');
  check(getsockname(u, addr, { value: sizeof(addr) }), 'getsockname');
  const ev = WSACreateEvent();
  check(WSAEventSelect(u, ev, FD_READ), 'WSAEventSelect');
  const peer = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  check(sendto(peer, Buffer.from('one'), 3, 0, addr, sizeof(addr)), 'sendto');
  check(sendto(peer, Buffer.from('two'), 3, 0, addr, sizeof(addr)), 'sendto');
  expect((await next(u, ev)).lNetworkEvents).toBe(FD_READ);
  const b = Buffer.alloc(16);
  expect(recvfrom(u, b, 16, 0, null, null)).toBe(3);
  expect(enumerate(u, ev).lNetworkEvents).toBe(FD_READ);
  expect(recvfrom(u, b, 16, 0, null, null)).toBe(3);
  expect(enumerate(u, ev).lNetworkEvents).toBe(0);
  closeAll(u, peer);
  WSACloseEvent(ev);
});
