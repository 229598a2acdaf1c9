import { openSync, closeSync } from 'node:fs';
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, FIONREAD, SOCK_STREAM, SOCKET_ERROR, WSABUF, WSAENOTSOCK, WSAGetLastError, WSARecv, WSASetLastError,
  closesocket, getsockopt, ioctlsocket, recv, send, socket, SOL_SOCKET, SO_TYPE, listen,
} from '../src/index.js';
import { startup } from './helpers.js';

beforeAll(startup);

const buf = Buffer.alloc(8);
const calls = (s: number): Array<[string, () => number]> => [
  ['send', () => send(s, buf, 8, 0)],
  ['recv', () => recv(s, buf, 8, 0)],
  ['listen', () => listen(s, 1)],
  ['ioctlsocket', () => ioctlsocket(s, FIONREAD, { value: 0 })],
  ['getsockopt', () => getsockopt(s, SOL_SOCKET, SO_TYPE, { value: 0 }, { value: 4 })],
  ['WSARecv', () => WSARecv(s, [new WSABUF(8, buf)], 1, { value: 0 }, { value: 0 })],
  ['closesocket', () => closesocket(s)],
];

function expectNotSock(s: number): void {
  for (const [name, call] of calls(s)) {
    WSASetLastError(0);
    expect([name, call()]).toEqual([name, SOCKET_ERROR]);
    expect([name, WSAGetLastError()]).toEqual([name, WSAENOTSOCK]);
  }
}

test('a closed socket number is WSAENOTSOCK for every call', () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(closesocket(s)).toBe(0);
  expectNotSock(s);
});

test('never-opened numbers, negative numbers, fractions, NaN and INVALID_SOCKET are WSAENOTSOCK', () => {
  for (const s of [987654, -1, -2, 3.5, NaN, Infinity, 2 ** 40]) expectNotSock(s);
});

test('a descriptor that is open but was never a Winsock socket (a file, stdin) is WSAENOTSOCK', () => {
  const fd = openSync(new URL(import.meta.url), 'r');
  try {
    expectNotSock(fd);
    expectNotSock(0);
  } finally {
    closeSync(fd);
  }
});
