// Every return rule of GetQueuedCompletionStatus and GetQueuedCompletionStatusEx, in one realm, with
// real loopback sockets: TRUE for a successful request or a posted packet (a posted NULL lpOverlapped
// comes back null), FALSE with a non-null lpOverlapped for a failed request (closesocket's 995), FALSE
// with null for no packet (WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0, ERROR_INVALID_HANDLE) leaving the
// other outs alone; a request on an associated socket also sets a valid hEvent; an hEvent with its low
// bit set keeps a request off the port and sets the event only.
import { beforeAll, expect, test } from 'vitest';
import {
  CreateIoCompletionPort, GetQueuedCompletionStatus, GetQueuedCompletionStatusEx, PostQueuedCompletionStatus,
  CloseHandle, GetLastError, IoArena, OVERLAPPED_ENTRY, INVALID_HANDLE_VALUE, ERROR_INVALID_HANDLE,
  ERROR_INVALID_PARAMETER, ERROR_ABANDONED_WAIT_0, WAIT_TIMEOUT, WAIT_IO_COMPLETION, INFINITE, WSA_IO_PENDING,
  WSA_OPERATION_ABORTED, SOCKET_ERROR, WSARecv, WSASend, WSACreateEvent, WSAWaitForMultipleEvents,
  closesocket, send, shutdown, SD_SEND, QueueUserAPC, GetCurrentThread, WSAOVERLAPPED,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';
import { IOREC } from './record.js';

let arena: IoArena<IOREC>;
beforeAll(() => { startup(); arena = IoArena.create(IOREC, 16); });

function recv(rec: IOREC, s: number): number {
  rec.sock = s;
  rec.wsabuf.buf = rec.buf;
  rec.wsabuf.len = rec.buf.length;
  return WSARecv(s, rec.wsabuf, 1, { value: 0 }, { value: 0 }, rec, null);
}

test('no packet: FALSE, lpOverlapped null, the error in GetLastError, the other outs untouched', async () => {
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  expect(hcp).toBeGreaterThan(0);
  const bytes = { value: 7 }, key = { value: 8 }, ov = { value: arena.alloc() as unknown };
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, 0)).toBe(0);
  expect([ov.value, GetLastError(), bytes.value, key.value]).toEqual([null, WAIT_TIMEOUT, 7, 8]);
  ov.value = 1;
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, 5)).toBe(0);
  expect([ov.value, GetLastError()]).toEqual([null, WAIT_TIMEOUT]);
  // Closed while waiting: ERROR_ABANDONED_WAIT_0; afterwards the handle is invalid.
  const waiting = GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE);
  expect(CloseHandle(hcp)).toBe(1);
  expect(await waiting).toBe(0);
  expect([ov.value, GetLastError(), bytes.value, key.value]).toEqual([null, ERROR_ABANDONED_WAIT_0, 7, 8]);
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE)).toBe(0);
  expect([ov.value, GetLastError()]).toEqual([null, ERROR_INVALID_HANDLE]);
  expect(CloseHandle(hcp)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_HANDLE);
  expect(PostQueuedCompletionStatus(hcp, 1, 2, null)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_HANDLE);
});

test('posted packets come back as posted, in order: TRUE, a NULL lpOverlapped as null, any object as itself', async () => {
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 1);
  const rec = arena.alloc()!;
  const plain = new WSAOVERLAPPED();
  expect(PostQueuedCompletionStatus(hcp, 0, 0xdead, null)).toBe(1);
  expect(PostQueuedCompletionStatus(hcp, 12, 34, rec)).toBe(1);
  expect(PostQueuedCompletionStatus(hcp, 56, 78, plain)).toBe(1);
  const bytes = { value: -1 }, key = { value: -1 }, ov = { value: rec as unknown };
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE)).toBe(1);
  expect([bytes.value, key.value, ov.value]).toEqual([0, 0xdead, null]);
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE)).toBe(1);
  expect([bytes.value, key.value]).toEqual([12, 34]);
  expect(ov.value).toBe(rec);
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, 0)).toBe(1);
  expect([bytes.value, key.value]).toEqual([56, 78]);
  expect(ov.value).toBe(plain);
  arena.free(rec);
  CloseHandle(hcp);
});

test('socket requests complete to the port (and set a valid hEvent), at once or later; closesocket aborts through it; low bit keeps one off', async () => {
  const { client, server } = tcpPair();
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  expect(CreateIoCompletionPort(server, hcp, 4242, 0)).toBe(hcp);
  // Association rules: twice is ERROR_INVALID_PARAMETER, a non-socket ERROR_INVALID_HANDLE, an existing
  // port without a socket ERROR_INVALID_PARAMETER.
  expect(CreateIoCompletionPort(server, hcp, 1, 0)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_PARAMETER);
  expect(CreateIoCompletionPort(999_999, hcp, 1, 0)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_HANDLE);
  expect(CreateIoCompletionPort(INVALID_HANDLE_VALUE, hcp, 1, 0)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_PARAMETER);

  const bytes = { value: 0 }, key = { value: 0 }, ov = { value: null as unknown };
  const ev = WSACreateEvent();
  // Pending, then completed by data: the packet, and hEvent set as well (as on Windows, where the
  // event of a request is set whether or not its packet goes to a port; only the low bit changes that).
  const r1 = arena.alloc()!;
  r1.hEvent = ev;
  expect(recv(r1, server)).toBe(SOCKET_ERROR);
  expect(GetLastError()).toBe(WSA_IO_PENDING);
  const got = GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE);
  send(client, Buffer.from('hello'), 5, 0);
  expect(await got).toBe(1);
  expect([bytes.value, key.value]).toEqual([5, 4242]);
  expect(ov.value).toBe(r1);
  expect(Buffer.from(r1.buf.subarray(0, 5)).toString()).toBe('hello');
  expect(await WSAWaitForMultipleEvents(1, [ev], 0, 0, 0)).toBe(0);
  // Data already there: whether the call completes at once (0) or on the next loop turn
  // (WSA_IO_PENDING), exactly one packet comes.
  send(client, Buffer.from('abc'), 3, 0);
  const r2 = arena.alloc()!;
  const r = recv(r2, server);
  expect(r === 0 || GetLastError() === WSA_IO_PENDING).toBe(true);
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE)).toBe(1);
  expect([bytes.value, ov.value === r2]).toEqual([3, true]);
  let at = await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, 0);
  expect([at, GetLastError()]).toEqual([0, WAIT_TIMEOUT]);
  // hEvent with the low bit set: the completion stays off the port; the event (without the bit) is set.
  const r3 = arena.alloc()!;
  r3.hEvent = ev | 1;
  recv(r3, server);
  send(client, Buffer.from('x'), 1, 0);
  expect(await WSAWaitForMultipleEvents(1, [ev], 0, INFINITE, 0)).toBe(0);
  expect(r3.InternalHigh).toBe(1);
  at = await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, 0);
  expect([at, GetLastError(), ov.value]).toEqual([0, WAIT_TIMEOUT, null]);
  // The peer's graceful close: TRUE with 0 bytes.
  const r4 = arena.alloc()!;
  recv(r4, server);
  shutdown(client, SD_SEND);
  expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE)).toBe(1);
  expect([bytes.value, ov.value === r4]).toEqual([0, true]);
  // closesocket with two requests pending (a receive and a send that cannot finish): both packets,
  // FALSE with lpOverlapped set and WSA_OPERATION_ABORTED.
  closesocket(server);
  closesocket(client);
  const pair2 = tcpPair();
  expect(CreateIoCompletionPort(pair2.server, hcp, 4242, 0)).toBe(hcp);
  const r5 = arena.alloc()!, r6 = arena.alloc()!;
  recv(r5, pair2.server);
  const big = Buffer.alloc(64 << 20);
  const sendbuf = { len: big.length, buf: big };
  expect(WSASend(pair2.server, sendbuf as never, 1, { value: 0 }, 0, r6, null)).toBe(SOCKET_ERROR);
  expect(GetLastError()).toBe(WSA_IO_PENDING);
  closesocket(pair2.server);
  const aborted = new Set<unknown>();
  for (let i = 0; i < 2; i++) {
    expect(await GetQueuedCompletionStatus(hcp, bytes, key, ov as never, INFINITE)).toBe(0);
    expect([GetLastError(), key.value]).toEqual([WSA_OPERATION_ABORTED, 4242]);
    aborted.add(ov.value);
  }
  expect(aborted).toEqual(new Set([r5, r6]));
  closesocket(pair2.client);
  CloseHandle(hcp);
  for (const r of [r1, r2, r3, r4, r5, r6]) arena.free(r);
});

test('GetQueuedCompletionStatusEx: batches up to ulCount, failed requests included; timeout, APCs, bad ulCount', async () => {
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  const entries = [new OVERLAPPED_ENTRY(), new OVERLAPPED_ENTRY()];
  const removed = { value: -1 };
  for (let i = 1; i <= 3; i++) PostQueuedCompletionStatus(hcp, i * 10, i, null);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 2, removed, INFINITE, false)).toBe(1);
  expect(removed.value).toBe(2);
  expect(entries.map((e) => [e.lpCompletionKey, e.dwNumberOfBytesTransferred, e.lpOverlapped])).toEqual([[1, 10, null], [2, 20, null]]);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 2, removed, 0, false)).toBe(1);
  expect([removed.value, entries[0]!.lpCompletionKey]).toEqual([1, 3]);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 2, removed, 1, false)).toBe(0);
  expect([removed.value, GetLastError()]).toEqual([0, WAIT_TIMEOUT]);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 0, removed, 0, false)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_PARAMETER);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 3, removed, 0, false)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_PARAMETER);
  // Batches past the 64 packets the shared result array holds come back whole and in order too.
  const many = Array.from({ length: 100 }, () => new OVERLAPPED_ENTRY());
  for (let i = 1; i <= 165; i++) PostQueuedCompletionStatus(hcp, i + 1000, i, null);
  const got: number[][] = [];
  for (const ulCount of [100, 64, 100]) {
    expect(await GetQueuedCompletionStatusEx(hcp, many, ulCount, removed, 0, false)).toBe(1);
    got.push(many.slice(0, removed.value).map((e) => e.dwNumberOfBytesTransferred - e.lpCompletionKey));
    got.push([removed.value, many[0]!.lpCompletionKey, many[removed.value - 1]!.lpCompletionKey]);
  }
  expect(got).toEqual([Array(100).fill(1000), [100, 1, 100], Array(64).fill(1000), [64, 101, 164], [1000], [1, 165, 165]]);
  // Alertable: an APC queued before or during the wait runs, and the wait ends with WAIT_IO_COMPLETION.
  let ran = 0;
  QueueUserAPC(() => { ran++; }, GetCurrentThread(), 0);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 2, removed, INFINITE, true)).toBe(0);
  expect([GetLastError(), ran, removed.value]).toEqual([WAIT_IO_COMPLETION, 1, 0]);
  const waiting = GetQueuedCompletionStatusEx(hcp, entries, 2, removed, INFINITE, true);
  QueueUserAPC(() => { ran++; }, GetCurrentThread(), 0);
  expect(await waiting).toBe(0);
  expect([GetLastError(), ran]).toEqual([WAIT_IO_COMPLETION, 2]);
  // A failed request's packet: TRUE, its error in Internal.
  const { client, server } = tcpPair();
  CreateIoCompletionPort(server, hcp, 9, 0);
  const r = arena.alloc()!;
  recv(r, server);
  closesocket(server);
  expect(await GetQueuedCompletionStatusEx(hcp, entries, 2, removed, INFINITE, false)).toBe(1);
  expect([removed.value, entries[0]!.Internal, entries[0]!.lpCompletionKey, entries[0]!.lpOverlapped === r]).toEqual([1, WSA_OPERATION_ABORTED, 9, true]);
  closesocket(client);
  arena.free(r);
  CloseHandle(hcp);
});
