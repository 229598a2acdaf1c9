// A non-blocking connect that was refused can be tried again: Winsock answers the second connect with
// WSAEWOULDBLOCK (a new attempt under way), and SO_ERROR keeps WSAECONNREFUSED until a connect
// succeeds (winsock-spec §2.4 and §3.1 "Failed connect" [observed], Wine's test_select).
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, FIONBIO, SOCK_STREAM, SOCKET_ERROR, SO_ERROR, SOL_SOCKET, WSAECONNREFUSED, WSAEISCONN, WSAEWOULDBLOCK,
  WSAGetLastError, accept, bind, closesocket, connect, getsockopt, ioctlsocket, listen, sizeof, socket,
} from '../src/index.js';
import { listener, ok, startup } from './helpers.js';

beforeAll(startup);

function soError(s: number): number {
  const v = { value: -1 };
  ok(getsockopt(s, SOL_SOCKET, SO_ERROR, v, { value: 4 }), 'getsockopt');
  return v.value;
}

/** Waits (bounded) until SO_ERROR reads `want`; the connect under way settles within a few turns. */
async function soErrorBecomes(s: number, want: number): Promise<number> {
  for (let i = 0; i < 400 && soError(s) !== want; i++) await new Promise((r) => setTimeout(r, 5));
  return soError(s);
}

test('a second connect after a refused non-blocking connect is WSAEWOULDBLOCK again, and SO_ERROR stays WSAECONNREFUSED', async () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s); // nobody listens on that port now
  const s = socket(AF_INET, SOCK_STREAM, 0);
  ok(ioctlsocket(s, FIONBIO, { value: 1 }), 'FIONBIO');
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(await soErrorBecomes(s, WSAECONNREFUSED)).toBe(WSAECONNREFUSED);

  const errors: number[] = [];
  for (let i = 0; i < 3; i++) {
    expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
    errors.push(WSAGetLastError());
    expect(soError(s)).toBe(WSAECONNREFUSED); // sticky while the new attempt runs
    expect(await soErrorBecomes(s, WSAECONNREFUSED)).toBe(WSAECONNREFUSED);
    await new Promise((r) => setTimeout(r, 20)); // let the refusal arrive before the next attempt
  }
  expect(errors).toEqual([WSAEWOULDBLOCK, WSAEWOULDBLOCK, WSAEWOULDBLOCK]);
  closesocket(s);
});

test('once somebody listens again, the next connect succeeds and clears SO_ERROR', async () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s);
  const s = socket(AF_INET, SOCK_STREAM, 0);
  ok(ioctlsocket(s, FIONBIO, { value: 1 }), 'FIONBIO');
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(await soErrorBecomes(s, WSAECONNREFUSED)).toBe(WSAECONNREFUSED);

  const again = socket(AF_INET, SOCK_STREAM, 0); // a listener on the same port
  ok(bind(again, addr, sizeof(addr)), 'bind');
  ok(listen(again, 4), 'listen');
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  const server = accept(again, null, null); // blocking: the connection arrives
  expect(server).toBeGreaterThan(0);
  expect(await soErrorBecomes(s, 0)).toBe(0);
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEISCONN);
  closesocket(server);
  closesocket(again);
  closesocket(s);
});
