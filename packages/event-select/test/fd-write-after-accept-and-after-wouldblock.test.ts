import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, send, recv, setsockopt, SOL_SOCKET, SO_SNDBUF, SO_RCVBUF,
  FD_READ, FD_WRITE, FD_WRITE_BIT, FD_CLOSE, SOCKET_ERROR, WSAGetLastError, WSAEWOULDBLOCK,
} from '../src/index.js';
import { startup, pair, closeAll, next, signalled, check } from './helpers.js';

beforeAll(startup);

test('a connected socket records FD_WRITE at registration, once: successful sends do not re-record it', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ | FD_WRITE | FD_CLOSE), 'WSAEventSelect');
  const ne = await next(server, ev);
  expect(ne.lNetworkEvents).toBe(FD_WRITE);
  expect(ne.iErrorCode[FD_WRITE_BIT]).toBe(0);
  expect(send(server, Buffer.from('x'), 1, 0)).toBe(1);
  expect(await signalled(ev, 150)).toBe(false);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('after a send fails with WSAEWOULDBLOCK, FD_WRITE is recorded again once space appears', async () => {
  const { ls, client, server } = pair();
  setsockopt(server, SOL_SOCKET, SO_SNDBUF, { value: 4096 }, 4);
  setsockopt(client, SOL_SOCKET, SO_RCVBUF, { value: 4096 }, 4);
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_WRITE), 'WSAEventSelect');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  const chunk = Buffer.alloc(65536, 1);
  let sent = 0;
  let r = 0;
  for (let i = 0; i < 10_000; i++) {  // bounded: the buffers hold far less than 10,000 chunks
    r = send(server, chunk, chunk.length, 0);
    if (r === SOCKET_ERROR) break;
    sent += r;
  }
  expect(r).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(await signalled(ev, 100)).toBe(false);  // no space yet
  // The peer drains everything; space appears and FD_WRITE comes back.
  const sink = Buffer.alloc(65536);
  let drained = 0;
  for (let i = 0; i < 100_000 && drained < sent; i++) drained += recv(client, sink, sink.length, 0);
  expect(drained).toBe(sent);
  const ne = await next(server, ev);
  expect(ne.lNetworkEvents).toBe(FD_WRITE);
  expect(ne.iErrorCode[FD_WRITE_BIT]).toBe(0);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('a send that takes only part of the buffer also re-enables FD_WRITE', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_WRITE), 'WSAEventSelect');
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  const big = Buffer.alloc(32 * 1024 * 1024, 2);  // far more than the socket buffers hold
  const taken = send(server, big, big.length, 0);
  expect(taken).toBeGreaterThan(0);
  expect(taken).toBeLessThan(big.length);
  const sink = Buffer.alloc(1 << 20);
  let drained = 0;
  for (let i = 0; i < 100_000 && drained < taken; i++) drained += recv(client, sink, sink.length, 0);
  expect(drained).toBe(taken);
  expect((await next(server, ev)).lNetworkEvents).toBe(FD_WRITE);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});
