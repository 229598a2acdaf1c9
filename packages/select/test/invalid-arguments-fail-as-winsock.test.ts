import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSACleanup, MAKEWORD, WSADATA, SOCKET_ERROR, INVALID_SOCKET, WSAEINVAL, WSAENOTSOCK, WSAEFAULT,
  WSANOTINITIALISED, WSAGetLastError, fd_set, FD_SET, select, timeval, closesocket,
} from '../src/index.js';
import { FD_MEMORY } from '../src/fd-set.js';
import { closeAll, open, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('all three sets null is WSAEINVAL', async () => {
  expect(await select(0, null, null, null, new timeval(0, 0))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
});

test('all sets empty is WSAEINVAL, even when waiting forever', async () => {
  expect(await select(0, new fd_set(), new fd_set(), null, null)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
});

test('a negative timeout is WSAEINVAL', async () => {
  const { server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  expect(await select(0, r, null, null, new timeval(-1, 0))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
});

test('an entry that is not a socket is WSAENOTSOCK and the sets are left unchanged', async () => {
  const { client, server } = tcpPair();
  const closed = open();
  closesocket(closed);
  for (const bad of [INVALID_SOCKET, closed, 0, 2147483647]) {
    const r = new fd_set();
    const w = new fd_set();
    FD_SET(server, r); FD_SET(bad, r); FD_SET(client, w);
    expect(await select(0, r, w, null, null)).toBe(SOCKET_ERROR);
    expect(WSAGetLastError()).toBe(WSAENOTSOCK);
    expect(Array.from(r.fd_array.subarray(0, r.fd_count))).toEqual([server, bad]);
    expect(Array.from(w.fd_array.subarray(0, w.fd_count))).toEqual([client]);
  }
});

test('an fd_count past the set\'s storage is WSAEFAULT, never a read past it', async () => {
  const { server } = tcpPair();
  const r = new fd_set(4);
  FD_SET(server, r);
  r.fd_count = 5;
  expect(await select(0, r, null, null, new timeval(0, 0))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
});

test('an fd_set whose memory was transferred away is WSAEFAULT, beside a set that is in order', async () => {
  const { server } = tcpPair();
  const r = new fd_set(), w = new fd_set();
  FD_SET(server, r);
  FD_SET(server, w);
  const memory = w[FD_MEMORY];
  structuredClone(memory.buffer, { transfer: [memory.buffer as ArrayBuffer] });
  expect(await select(0, r, w, null, new timeval(0, 0))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
});

test('a value that is not an fd_set is a TypeError', () => {
  expect(() => select(0, {} as fd_set, null, null, null)).toThrow(TypeError);
  expect(() => select(0, null, null, null, { tv_sec: '1' } as unknown as timeval)).toThrow(TypeError);
});

test('select before WSAStartup is WSANOTINITIALISED', async () => {
  const { server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  closeAll();
  expect(WSACleanup()).toBe(0);
  expect(await select(0, r, null, null, new timeval(0, 0))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSANOTINITIALISED);
  WSAStartup(MAKEWORD(2, 2), new WSADATA());
});
