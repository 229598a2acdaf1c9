// The native select's contract with model packages (src/binding.ts): fd_set memory in C's layout,
// a number when the answer is known at once, a Promise when it has to wait, TypeError for wrong types.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { native } from '../src/internal.js';
import {
  WSAStartup, MAKEWORD, WSADATA, FD_SETSIZE, AF_INET, SOCK_DGRAM, INADDR_LOOPBACK, SOCKET_ERROR, WSAEINVAL,
  SOCKADDR_IN, bind, closesocket, htonl, sizeof, socket, WSAGetLastError,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
const opened: number[] = [];
afterEach(() => { for (const s of opened.splice(0)) closesocket(s); });

function udp(): number {
  const s = socket(AF_INET, SOCK_DGRAM, 0);
  opened.push(s);
  const a = new SOCKADDR_IN();
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, a, sizeof(a));
  return s;
}

const set = (...fds: number[]) => Int32Array.from([fds.length, ...fds, ...new Array(FD_SETSIZE - fds.length).fill(0)]);

test('FD_SETSIZE is Winsock\'s 64', () => {
  expect(FD_SETSIZE).toBe(64);
});

test('a socket ready now is answered synchronously with a number, the set rewritten in place', () => {
  const s = udp();
  const w = set(s);
  expect(native.select(null, w, null, 0)).toBe(1);
  expect(Array.from(w.subarray(0, 2))).toEqual([1, s]);
});

test('a wait is answered with a Promise', async () => {
  const s = udp();
  const r = set(s);
  const result = native.select(r, null, null, 20);
  expect(result).toBeInstanceOf(Promise);
  expect(await result).toBe(0);
  expect(r[0]).toBe(0);
});

test('sets that are not Int32Arrays are TypeErrors; a NaN timeout is WSAEINVAL', () => {
  expect(() => native.select(new Uint8Array(8) as unknown as Int32Array, null, null, 0)).toThrow(TypeError);
  expect(() => native.select(null, null, null, '1' as unknown as number)).toThrow(TypeError);
  const s = udp();
  expect(native.select(null, set(s), null, NaN)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
});
