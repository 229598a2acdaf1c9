import { beforeAll, expect, test } from 'vitest';
import {
  GetCurrentThread, QueueUserAPC, SOCKET_ERROR, SleepEx, WAIT_IO_COMPLETION, WSABUF, WSAOVERLAPPED, WSARecv, WSASend,
  send, WSAGetLastError, WSA_IO_PENDING, INFINITE, WSA_INVALID_HANDLE,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

/** Until the loop has completed ov (a positive fact, looked at every millisecond, at most 5 s). */
const completed = async (ov: WSAOVERLAPPED) => {
  for (let i = 0; i < 5000 && ov.Internal === 0x103; i++) await new Promise((r) => setTimeout(r, 1));
};


test('a routine for a completed receive never runs until an alertable wait; SleepEx then returns WAIT_IO_COMPLETION', async () => {
  const p = tcpPair();
  const calls: Array<[number, number, WSAOVERLAPPED, number]> = [];
  const ov = new WSAOVERLAPPED();
  const buf = Buffer.alloc(8);
  expect(WSARecv(p.server, [new WSABUF(8, buf)], 1, null, { value: 0 }, ov, (e, n, o, f) => calls.push([e, n, o, f]))).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  send(p.client, Buffer.from('data'), 4, 0);
  await completed(ov);
  expect(ov.Internal).toBe(0); // completed...
  expect(calls).toEqual([]);   // ...but the routine waits for an alertable wait
  expect(await SleepEx(0, false)).toBe(0); // a non-alertable wait never runs it
  expect(calls).toEqual([]);
  expect(await SleepEx(INFINITE, true)).toBe(WAIT_IO_COMPLETION);
  expect(calls).toEqual([[0, 4, ov, 0]]);
  expect(await SleepEx(0, true)).toBe(0); // nothing left: the time passed
  p.close();
});

test('a routine runs for an immediate completion too, and routines run in completion order', async () => {
  const p = tcpPair();
  const order: string[] = [];
  send(p.client, Buffer.from('xy'), 2, 0);
  const sent = { value: 0 };
  expect(WSARecv(p.server, [new WSABUF(1, Buffer.alloc(1))], 1, null, { value: 0 }, new WSAOVERLAPPED(), () => order.push('recv1'))).toBe(0);
  expect(WSASend(p.server, [new WSABUF(2, Buffer.from('ok'))], 1, sent, 0, new WSAOVERLAPPED(), () => order.push('send'))).toBe(0);
  expect(WSARecv(p.server, [new WSABUF(1, Buffer.alloc(1))], 1, null, { value: 0 }, new WSAOVERLAPPED(), () => order.push('recv2'))).toBe(0);
  expect(order).toEqual([]);
  expect(QueueUserAPC((d: string) => order.push(d), GetCurrentThread(), 'user')).not.toBe(0);
  expect(await SleepEx(1000, true)).toBe(WAIT_IO_COMPLETION);
  expect(order).toEqual(['recv1', 'send', 'recv2', 'user']);
  p.close();
});

test('a waiting alertable SleepEx is woken by a completion, and a routine may issue the next WSARecv', async () => {
  const p = tcpPair();
  const received: string[] = [];
  const buf = Buffer.alloc(16);
  const ov = new WSAOVERLAPPED();
  const onRecv = (err: number, n: number) => {
    if (err || n === 0) return;
    received.push(buf.subarray(0, n).toString());
    WSARecv(p.server, [new WSABUF(16, buf)], 1, null, { value: 0 }, ov, onRecv);
  };
  expect(WSARecv(p.server, [new WSABUF(16, buf)], 1, null, { value: 0 }, ov, onRecv)).toBe(SOCKET_ERROR);
  const sleeping = SleepEx(INFINITE, true);
  send(p.client, Buffer.from('one'), 3, 0);
  expect(await sleeping).toBe(WAIT_IO_COMPLETION);
  send(p.client, Buffer.from('two'), 3, 0);
  expect(await SleepEx(INFINITE, true)).toBe(WAIT_IO_COMPLETION);
  expect(received).toEqual(['one', 'two']);
  p.close(); // aborts the receive the last routine issued: its routine is queued with WSA_OPERATION_ABORTED
  expect(await SleepEx(0, true)).toBe(WAIT_IO_COMPLETION);
});

test('SleepEx without APCs resolves 0 after the interval; QueueUserAPC refuses another thread\'s handle', async () => {
  expect(await SleepEx(5, true)).toBe(0);
  expect(await SleepEx(0, false)).toBe(0);
  expect(QueueUserAPC(() => {}, 987654, null)).toBe(0);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  expect(() => QueueUserAPC(5 as never, GetCurrentThread(), null)).toThrow(TypeError);
});
