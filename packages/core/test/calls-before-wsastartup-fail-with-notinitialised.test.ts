// This file never leaves Winsock started for long: each test file runs in its own process.
import { expect, test } from 'vitest';
import {
  AF_INET, FIONBIO, INVALID_SOCKET, MAKEWORD, SOCK_STREAM, SOCKET_ERROR, WSABUF, WSACleanup, WSADATA,
  WSAGetLastError, WSANOTINITIALISED, WSARecv, WSASend, WSAStartup, WSAVERNOTSUPPORTED, accept, bind,
  closesocket, connect, ioctlsocket, listen, recv, send, socket, WSAEFAULT,
} from '../src/index.js';
import { loopback4 } from './helpers.js';

test('every socket call made before WSAStartup fails with WSANOTINITIALISED', () => {
  const buf = Buffer.alloc(4);
  const addr = loopback4();
  const calls: Array<[string, () => number]> = [
    ['socket', () => socket(AF_INET, SOCK_STREAM, 0)],
    ['bind', () => bind(3, addr, 16)],
    ['listen', () => listen(3, 1)],
    ['accept', () => accept(3, null, null)],
    ['connect', () => connect(3, addr, 16)],
    ['send', () => send(3, buf, 4, 0)],
    ['recv', () => recv(3, buf, 4, 0)],
    ['closesocket', () => closesocket(3)],
    ['ioctlsocket', () => ioctlsocket(3, FIONBIO, { value: 1 })],
    ['WSASend', () => WSASend(3, [new WSABUF(4, buf)], 1, { value: 0 }, 0)],
    ['WSARecv', () => WSARecv(3, [new WSABUF(4, buf)], 1, { value: 0 }, { value: 0 })],
    ['WSACleanup', () => WSACleanup()],
  ];
  for (const [name, call] of calls) {
    expect([name, call()]).toEqual([name, SOCKET_ERROR]);
    expect([name, WSAGetLastError()]).toEqual([name, WSANOTINITIALISED]);
  }
});

test('WSAStartup fills WSADATA, refuses version 0.x and a null WSADATA, and grants at most 2.2', () => {
  const data = new WSADATA();
  expect(WSAStartup(MAKEWORD(0, 1), data)).toBe(WSAVERNOTSUPPORTED);
  expect(data.wHighVersion).toBe(MAKEWORD(2, 2));
  expect(WSAStartup(MAKEWORD(2, 2), null)).toBe(WSAEFAULT);
  expect(WSAStartup(MAKEWORD(3, 0), data)).toBe(0);
  expect(data.wVersion).toBe(MAKEWORD(2, 2));
  expect(data.szSystemStatus).toBe('Running');
  expect(WSACleanup()).toBe(0);
});

test('the last WSACleanup closes every socket: later calls on it are WSAENOTSOCK, new ones WSANOTINITIALISED', () => {
  expect(WSAStartup(MAKEWORD(2, 2), new WSADATA())).toBe(0);
  expect(WSAStartup(MAKEWORD(2, 2), new WSADATA())).toBe(0);
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(s).not.toBe(INVALID_SOCKET);
  expect(WSACleanup()).toBe(0);
  expect(ioctlsocket(s, FIONBIO, { value: 1 })).toBe(0); // one WSAStartup still stands
  expect(WSACleanup()).toBe(0);
  expect(socket(AF_INET, SOCK_STREAM, 0)).toBe(INVALID_SOCKET);
  expect(WSAGetLastError()).toBe(WSANOTINITIALISED);
  expect(WSAStartup(MAKEWORD(2, 2), new WSADATA())).toBe(0);
  expect(ioctlsocket(s, FIONBIO, { value: 1 })).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(10038);
});
