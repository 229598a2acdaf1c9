// WSARecv and WSASend with no buffers (lpBuffers NULL, dwBufferCount 0) are WSAEINVAL, overlapped or
// not: a count of 0 is judged before the missing array (winsock-spec §3.8 "dwBufferCount 0", Wine's
// test_empty_recv). A missing array with a count is still WSAEFAULT.
import { beforeAll, expect, test } from 'vitest';
import {
  SOCKET_ERROR, WSAEFAULT, WSAEINVAL, WSAGetLastError, WSAOVERLAPPED, WSARecv, WSARecvFrom, WSASend, SleepEx,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

function error(result: number): number {
  expect(result).toBe(SOCKET_ERROR);
  return WSAGetLastError();
}

test('WSARecv(s, NULL, 0, ..., lpOverlapped) is WSAEINVAL, and nothing completes', async () => {
  const p = tcpPair();
  const ov = new WSAOVERLAPPED();
  let routines = 0;
  expect(error(WSARecv(p.server, null as never, 0, null, { value: 0 }, ov))).toBe(WSAEINVAL);
  expect(error(WSARecv(p.server, null as never, 0, null, { value: 0 }, new WSAOVERLAPPED(), () => routines++))).toBe(WSAEINVAL);
  expect(await SleepEx(0, true)).toBe(0);
  expect(routines).toBe(0);
  p.close();
});

test('the synchronous forms, and WSASend, say WSAEINVAL for no buffers too', () => {
  const p = tcpPair();
  expect(error(WSARecv(p.server, null as never, 0, { value: 0 }, { value: 0 }))).toBe(WSAEINVAL);
  expect(error(WSARecvFrom(p.server, null as never, 0, { value: 0 }, { value: 0 }, null, null))).toBe(WSAEINVAL);
  expect(error(WSASend(p.client, null as never, 0, { value: 0 }, 0))).toBe(WSAEINVAL);
  expect(error(WSASend(p.client, null as never, 0, null, 0, new WSAOVERLAPPED()))).toBe(WSAEINVAL);
  expect(error(WSARecv(p.server, null as never, 1, { value: 0 }, { value: 0 }))).toBe(WSAEFAULT);
  p.close();
});
