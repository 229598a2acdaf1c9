import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, FIONBIO, SOCK_STREAM, SOCKET_ERROR, SO_ERROR, SOL_SOCKET, WSAECONNREFUSED, WSAEISCONN, WSAEWOULDBLOCK,
  WSAGetLastError, accept, closesocket, connect, getsockopt, ioctlsocket, sizeof, socket,
} from '../src/index.js';
import { listener, startup } from './helpers.js';

beforeAll(startup);

/** Reads SO_ERROR until the connect under way has settled (loopback refuses within a few turns). */
async function soErrorOnceSettled(s: number): Promise<number> {
  const err = { value: 0 };
  for (let i = 0; i < 200; i++) {
    expect(getsockopt(s, SOL_SOCKET, SO_ERROR, err, { value: 4 })).toBe(0);
    if (err.value !== 0) return err.value;
    await new Promise((r) => setTimeout(r, 5));
  }
  return err.value;
}

test('a non-blocking connect returns SOCKET_ERROR with WSAEWOULDBLOCK, then the socket connects', async () => {
  const l = listener();
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(ioctlsocket(s, FIONBIO, { value: 1 })).toBe(0);
  expect(connect(s, l.addr, sizeof(l.addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  const accepted = accept(l.s, null, null); // blocking listener: waits for the connection
  expect(accepted).toBeGreaterThan(0);
  let r = 0;
  for (let i = 0; i < 100; i++) {
    r = connect(s, l.addr, sizeof(l.addr));
    if (WSAGetLastError() === WSAEISCONN) break;
    await new Promise((res) => setTimeout(res, 5));
  }
  expect(r).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEISCONN);
  closesocket(s);
  closesocket(accepted);
  closesocket(l.s);
});

test('a refused non-blocking connect leaves WSAECONNREFUSED in SO_ERROR, and it stays there', async () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s); // nobody listens there now
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(ioctlsocket(s, FIONBIO, { value: 1 })).toBe(0);
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  expect(await soErrorOnceSettled(s)).toBe(WSAECONNREFUSED);
  const err = { value: 0 };
  for (let i = 0; i < 2; i++) {
    expect(getsockopt(s, SOL_SOCKET, SO_ERROR, err, { value: 4 })).toBe(0);
    expect(err.value).toBe(WSAECONNREFUSED);
  }
  closesocket(s);
});

test('a blocking connect to a closed port fails with WSAECONNREFUSED', () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s);
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAECONNREFUSED);
  closesocket(s);
});
