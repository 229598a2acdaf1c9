// A one-WSABUF overlapped WSASend/WSARecv crosses into native code by its own path (its numbers through
// a shared array, not as arguments). Every argument must still be judged as the WSABUF-array form
// judges it: the same TypeErrors, the same WSA codes, nothing left pending and no slot kept.
import { beforeAll, expect, test } from 'vitest';
import {
  SOCKET_ERROR, WSABUF, WSAEFAULT, WSAENOTSOCK, WSAGetLastError, WSAOVERLAPPED, WSARecv, WSASend, STATUS_PENDING,
  MSG_PEEK, recv,
} from '../src/index.js';
import { slotsInUse } from '../src/holds.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

type Form = 'one' | 'array';
// The same buffer as one WSABUF, or as an array of it and an empty WSABUF (the array form).
const bufs = (form: Form, len: number, buf: Uint8Array) =>
  form === 'one' ? new WSABUF(len, buf) : [new WSABUF(len, buf), new WSABUF(0, Buffer.alloc(0))];
const count = (form: Form) => (form === 'one' ? 1 : 2);

test.each<Form>(['one', 'array'])('%s form: wrong JavaScript types are TypeErrors, bad values WSA codes', (form) => {
  const p = tcpPair();
  const before = slotsInUse();
  const buf = Buffer.alloc(8);
  const ov = new WSAOVERLAPPED();

  expect(() => WSASend('1' as never, bufs(form, 8, buf), count(form), null, 0, ov)).toThrow(TypeError);
  expect(() => WSASend(p.client, bufs(form, 8, buf), count(form), null, 'x' as never, ov)).toThrow(TypeError);
  expect(() => WSARecv({} as never, bufs(form, 8, buf), count(form), null, { value: 0 }, ov)).toThrow(TypeError);

  // A length past the buffer: WSAEFAULT, and the structure is not left marked pending.
  expect(WSASend(p.client, bufs(form, 9, buf), count(form), null, 0, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(WSARecv(p.server, bufs(form, 9, buf), count(form), null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  // A null lpFlags: WSAEFAULT.
  expect(WSARecv(p.server, bufs(form, 8, buf), count(form), null, null, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  // A number that is no socket: WSAENOTSOCK.
  for (const s of [1.5, -1, Number.NaN, 2 ** 40]) {
    expect(WSASend(s, bufs(form, 8, buf), count(form), null, 0, ov)).toBe(SOCKET_ERROR);
    expect(WSAGetLastError()).toBe(WSAENOTSOCK);
    expect(WSARecv(s, bufs(form, 8, buf), count(form), null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
    expect(WSAGetLastError()).toBe(WSAENOTSOCK);
  }
  expect(ov.Internal).not.toBe(STATUS_PENDING);
  expect(slotsInUse()).toBe(before);
  p.close();
});

test.each<Form>(['one', 'array'])('%s form: the flags reach the socket, and a MSG_PEEK leaves the data for an immediate receive', (form) => {
  const p = tcpPair();
  const sent = { value: 0 };
  expect(WSASend(p.client, bufs(form, 3, Buffer.from('abc')), count(form), sent, 0, new WSAOVERLAPPED())).toBe(0);
  expect(sent.value).toBe(3);
  const buf = Buffer.alloc(8);
  expect(recv(p.server, Buffer.alloc(8), 8, MSG_PEEK)).toBe(3); // blocking: the data is there now
  const got = { value: 0 };
  expect(WSARecv(p.server, bufs(form, 8, buf), count(form), got, { value: MSG_PEEK }, new WSAOVERLAPPED())).toBe(0);
  expect(got.value).toBe(3);
  const again = { value: 0 };
  expect(WSARecv(p.server, bufs(form, 8, buf), count(form), again, { value: 0 }, new WSAOVERLAPPED())).toBe(0);
  expect(again.value).toBe(3);
  expect(buf.subarray(0, 3).toString()).toBe('abc');
  p.close();
});
