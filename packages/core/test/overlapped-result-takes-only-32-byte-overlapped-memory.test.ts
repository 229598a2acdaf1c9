// WSAGetOverlappedResult reads lpOverlapped's 32 bytes without calling into native code: an object of
// the OVERLAPPED family vouches for them (its constructor refuses less memory), anything else is checked
// for a [MEMORY] of 32 bytes, and what is neither is a TypeError, never a read past the memory.
import { beforeAll, expect, test } from 'vitest';
import { WSAGetOverlappedResult, WSAOVERLAPPED, closesocket, socket, AF_INET, SOCK_STREAM, TRUE } from '../src/index.js';
import { OverlappedFields } from '../src/internal.js';
import { MEMORY } from '../src/structs.js';
import { startup } from './helpers.js';

beforeAll(startup);

class SmallOverlapped extends OverlappedFields {
  constructor() { super(new Uint8Array(8)); }
}

class SOCKETINFO extends WSAOVERLAPPED {
  recvbytes = 0;
}

test('an OVERLAPPED of fewer than 32 bytes cannot be made', () => {
  expect(() => new SmallOverlapped()).toThrow(TypeError);
});

test('a struct beginning with a WSAOVERLAPPED, and any object with 32 bytes of memory, give the result', () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  const n = { value: 7 }, f = { value: 7 };
  const info = new SOCKETINFO();
  info.InternalHigh = 5;
  expect(WSAGetOverlappedResult(s, info, n, false, f)).toBe(TRUE);
  expect([n.value, f.value]).toEqual([5, 0]);
  const memory = new Uint8Array(32);
  memory[8] = 3;
  expect(WSAGetOverlappedResult(s, { [MEMORY]: memory } as unknown as WSAOVERLAPPED, n, false, f)).toBe(TRUE);
  expect(n.value).toBe(3);
  expect(() => WSAGetOverlappedResult(s, { [MEMORY]: new Uint8Array(16) } as unknown as WSAOVERLAPPED, n, false, f))
    .toThrow(TypeError);
  expect(() => WSAGetOverlappedResult(s, {} as WSAOVERLAPPED, n, false, f)).toThrow(TypeError);
  closesocket(s);
});
