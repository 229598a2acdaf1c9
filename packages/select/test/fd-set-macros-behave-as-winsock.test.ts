import { beforeAll, expect, test } from 'vitest';
import { WSAStartup, MAKEWORD, WSADATA, FD_SETSIZE, fd_set, FD_ZERO, FD_SET, FD_CLR, FD_ISSET, sizeof, timeval } from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('FD_SETSIZE is 64 and a new fd_set is empty with that capacity', () => {
  expect(FD_SETSIZE).toBe(64);
  const set = new fd_set();
  expect(set.fd_count).toBe(0);
  expect(set.fd_array.length).toBe(64);
  expect(sizeof(fd_set)).toBe(8 + 8 * 64);
  expect(sizeof(timeval)).toBe(8);
});

test('FD_SET appends in insertion order and ignores a socket already present', () => {
  const set = new fd_set();
  FD_SET(7, set); FD_SET(3, set); FD_SET(7, set); FD_SET(5, set);
  expect(set.fd_count).toBe(3);
  expect(Array.from(set.fd_array.subarray(0, set.fd_count))).toEqual([7, 3, 5]);
});

test('FD_SET silently ignores additions past the capacity', () => {
  const set = new fd_set();
  for (let s = 100; s < 100 + FD_SETSIZE + 10; s++) FD_SET(s, set);
  expect(set.fd_count).toBe(FD_SETSIZE);
  expect(FD_ISSET(100 + FD_SETSIZE - 1, set)).toBe(1);
  expect(FD_ISSET(100 + FD_SETSIZE, set)).toBe(0);
});

test('a larger capacity may be asked for, as C redefines FD_SETSIZE', () => {
  const set = new fd_set(1024);
  for (let s = 0; s < 1000; s++) FD_SET(s + 2000, set);
  expect(set.fd_count).toBe(1000);
  expect(set.capacity).toBe(1024);
  expect(() => new fd_set(0)).toThrow(RangeError);
});

test('FD_CLR removes the first match and keeps the order of the rest', () => {
  const set = new fd_set();
  for (const s of [4, 8, 15, 16, 23, 42]) FD_SET(s, set);
  FD_CLR(15, set);
  FD_CLR(99, set);  // absent: nothing happens
  expect(Array.from(set.fd_array.subarray(0, set.fd_count))).toEqual([4, 8, 16, 23, 42]);
  FD_CLR(4, set); FD_CLR(42, set);
  expect(Array.from(set.fd_array.subarray(0, set.fd_count))).toEqual([8, 16, 23]);
});

test('FD_ISSET answers 1 or 0 and FD_ZERO empties the set', () => {
  const set = new fd_set();
  FD_SET(9, set);
  expect(FD_ISSET(9, set)).toBe(1);
  expect(FD_ISSET(10, set)).toBe(0);
  FD_ZERO(set);
  expect(set.fd_count).toBe(0);
  expect(FD_ISSET(9, set)).toBe(0);
});
