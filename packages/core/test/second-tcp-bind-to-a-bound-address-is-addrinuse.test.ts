// Two TCP sockets may not be bound to the same address and port: Winsock refuses the second bind with
// WSAEADDRINUSE (Linux, with the SO_REUSEADDR every stream socket carries underneath, would let it
// through and refuse only at listen). Two sockets that both asked for SO_REUSEADDR may share it, as on
// Windows; one that asked while the holder did not gets WSAEACCES (winsock-spec §3.14, Wine's bind table).
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, SOCK_DGRAM, SOCK_STREAM, SOCKET_ERROR, SOL_SOCKET, SO_REUSEADDR, WSAEACCES, WSAEADDRINUSE,
  WSAGetLastError, bind, closesocket, getsockname, getsockopt, listen, setsockopt, sizeof, socket,
} from '../src/index.js';
import { loopback4, ok, startup } from './helpers.js';

beforeAll(startup);

function boundTcp(): { s: number; addr: ReturnType<typeof loopback4> } {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  const addr = loopback4();
  ok(bind(s, addr, sizeof(addr)), 'bind');
  ok(getsockname(s, addr, { value: sizeof(addr) }), 'getsockname');
  return { s, addr };
}

test('a second TCP bind to an address and port another socket holds is WSAEADDRINUSE, before any listen', () => {
  const first = boundTcp();
  const second = socket(AF_INET, SOCK_STREAM, 0);
  expect(bind(second, first.addr, sizeof(first.addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEADDRINUSE);
  // The holder is unaffected and can listen.
  expect(listen(first.s, 4)).toBe(0);
  closesocket(second);
  closesocket(first.s);
});

test('the address is free again as soon as its holder is closed', () => {
  const first = boundTcp();
  closesocket(first.s);
  const second = socket(AF_INET, SOCK_STREAM, 0);
  expect(bind(second, first.addr, sizeof(first.addr))).toBe(0);
  closesocket(second);
});

test('SO_REUSEADDR is off until set; two sockets that both set it share the address; one alone gets WSAEACCES', () => {
  const a = socket(AF_INET, SOCK_STREAM, 0);
  const v = { value: -1 };
  ok(getsockopt(a, SOL_SOCKET, SO_REUSEADDR, v, { value: 4 }), 'getsockopt');
  expect(v.value).toBe(0);
  ok(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 4), 'setsockopt');
  const addr = loopback4();
  ok(bind(a, addr, sizeof(addr)), 'bind a');
  ok(getsockname(a, addr, { value: sizeof(addr) }), 'getsockname');

  const b = socket(AF_INET, SOCK_STREAM, 0);
  ok(setsockopt(b, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 4), 'setsockopt');
  expect(bind(b, addr, sizeof(addr))).toBe(0);
  const c = socket(AF_INET, SOCK_STREAM, 0);  // no SO_REUSEADDR
  expect(bind(c, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEADDRINUSE);
  closesocket(a);
  closesocket(b);

  const holder = boundTcp();
  const d = socket(AF_INET, SOCK_STREAM, 0);
  ok(setsockopt(d, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 4), 'setsockopt');
  expect(bind(d, holder.addr, sizeof(holder.addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEACCES);
  for (const s of [c, d, holder.s]) closesocket(s);
});

test('a UDP socket and a TCP socket on the same port do not clash', () => {
  const t = boundTcp();
  const u = socket(AF_INET, SOCK_DGRAM, 0);
  expect(bind(u, t.addr, sizeof(t.addr))).toBe(0);
  closesocket(u);
  closesocket(t.s);
});
