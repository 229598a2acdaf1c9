import { beforeAll, expect, test } from 'vitest';
import {
  SOCKET_ERROR, WSABUF, WSAGetLastError, WSAGetOverlappedResult, WSAOVERLAPPED, WSA_OPERATION_ABORTED, WSARecv,
  closesocket, WSAENOTSOCK, SleepEx,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('closesocket completes every pending receive with WSA_OPERATION_ABORTED and leaves the buffers as they were', async () => {
  const p = tcpPair();
  const a = Buffer.alloc(8, 0x5a), b = Buffer.alloc(8, 0x6b);
  const ova = new WSAOVERLAPPED(), ovb = new WSAOVERLAPPED();
  expect(WSARecv(p.server, [new WSABUF(8, a)], 1, null, { value: 0 }, ova)).toBe(SOCKET_ERROR);
  const routineCalls: Array<[number, number]> = [];
  expect(WSARecv(p.server, [new WSABUF(8, b)], 1, null, { value: 0 }, ovb,
    (err, n) => { routineCalls.push([err, n]); })).toBe(SOCKET_ERROR);
  expect(closesocket(p.server)).toBe(0);
  expect([ova.Internal, ovb.Internal]).toEqual([WSA_OPERATION_ABORTED, WSA_OPERATION_ABORTED]);
  expect(WSAGetOverlappedResult(p.server, ova, { value: 0 }, false, { value: 0 })).toBe(0);
  expect(WSAGetLastError()).toBe(WSAENOTSOCK); // the socket is gone; its result stays in the WSAOVERLAPPED
  expect(await SleepEx(0, true)).toBe(0xc0);
  expect(routineCalls).toEqual([[WSA_OPERATION_ABORTED, 0]]);
  expect([...a, ...b]).toEqual([...Buffer.alloc(8, 0x5a), ...Buffer.alloc(8, 0x6b)]);
  closesocket(p.client);
});
