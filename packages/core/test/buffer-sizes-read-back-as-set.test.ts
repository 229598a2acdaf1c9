// SO_SNDBUF and SO_RCVBUF read back the size the program set, however small (Linux clamps below its
// minimum and doubles what it keeps), and a socket accepted from a listener inherits the listener's
// (with SO_REUSEADDR: Wine's test_accept_inheritance).
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_RCVBUF, SO_REUSEADDR, SO_SNDBUF, accept, bind, closesocket, connect,
  getsockname, getsockopt, listen, setsockopt, sizeof, socket,
} from '../src/index.js';
import { loopback4, ok, startup } from './helpers.js';

beforeAll(startup);

function read(s: number, name: number): number {
  const v = { value: -1 };
  ok(getsockopt(s, SOL_SOCKET, name, v, { value: 4 }), 'getsockopt');
  return v.value;
}

test('a size below Linux\'s minimum reads back as set, on the listener and on the socket it accepts', () => {
  const l = socket(AF_INET, SOCK_STREAM, 0);
  const addr = loopback4();
  ok(bind(l, addr, sizeof(addr)), 'bind');
  ok(setsockopt(l, SOL_SOCKET, SO_RCVBUF, { value: 0x123 }, 4), 'SO_RCVBUF');
  ok(setsockopt(l, SOL_SOCKET, SO_SNDBUF, { value: 0x123 }, 4), 'SO_SNDBUF');
  ok(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 4), 'SO_REUSEADDR');
  expect([read(l, SO_RCVBUF), read(l, SO_SNDBUF)]).toEqual([0x123, 0x123]);
  ok(listen(l, 4), 'listen');
  ok(getsockname(l, addr, { value: sizeof(addr) }), 'getsockname');
  const c = socket(AF_INET, SOCK_STREAM, 0);
  ok(connect(c, addr, sizeof(addr)), 'connect');
  const a = ok(accept(l, null, null), 'accept');
  expect([read(a, SO_RCVBUF), read(a, SO_SNDBUF), read(a, SO_REUSEADDR)]).toEqual([0x123, 0x123, 1]);
  for (const s of [a, c, l]) closesocket(s);
});

test('large sizes and zero read back as set too, on a UDP socket as well', () => {
  const u = socket(AF_INET, SOCK_DGRAM, 0);
  for (const size of [0, 1, 65536, 8 * 1024 * 1024]) {
    ok(setsockopt(u, SOL_SOCKET, SO_RCVBUF, { value: size }, 4), 'SO_RCVBUF');
    ok(setsockopt(u, SOL_SOCKET, SO_SNDBUF, { value: size }, 4), 'SO_SNDBUF');
    expect([size, read(u, SO_RCVBUF), read(u, SO_SNDBUF)]).toEqual([size, size, size]);
  }
  closesocket(u);
});
