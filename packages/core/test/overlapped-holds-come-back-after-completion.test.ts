// The engine keeps each overlapped request's WSAOVERLAPPED, routine and buffer alive through a slot in
// holds.ts, and every slot must come back once: at once for a request that completed or failed in the
// call (no routine), on the loop turn it completes for a pending one, and when its routine runs.
// A slot that never came back would keep the caller's buffers alive for ever.
import { beforeAll, expect, test } from 'vitest';
import {
  FALSE, SOCKET_ERROR, SleepEx, TRUE, WSABUF, WSACloseEvent, WSACreateEvent, WSAGetLastError, WSAOVERLAPPED, WSARecv,
  WSASend, WSAWaitForMultipleEvents, WSA_INFINITE, WSA_IO_PENDING, WSAENOTSOCK, WSA_OPERATION_ABORTED, closesocket,
} from '../src/index.js';
import { slotsInUse } from '../src/holds.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

const turn = () => new Promise((res) => setImmediate(res));

test('requests completed at once, pending, failed, aborted or refused all give their slots back', async () => {
  const before = slotsInUse();
  const p = tcpPair();
  const ev = WSACreateEvent();
  const buf = Buffer.alloc(64);

  // Completed at once, no routine: released inside the call.
  const ov = new WSAOVERLAPPED();
  ov.hEvent = ev;
  expect(WSASend(p.client, new WSABUF(5, Buffer.from('hello')), 1, { value: 0 }, 0, ov)).toBe(0);
  expect(slotsInUse()).toBe(before);

  // Pending with an event: kept while pending, back on the loop turn it completes.
  const rov = new WSAOVERLAPPED();
  rov.hEvent = ev;
  expect(WSARecv(p.server, new WSABUF(64, buf), 1, null, { value: 0 }, rov)).toBe(0); // "hello" is there
  expect(WSARecv(p.server, new WSABUF(64, buf), 1, null, { value: 0 }, rov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  expect(slotsInUse()).toBe(before + 1);
  WSASend(p.client, [new WSABUF(2, Buffer.from('hi')), new WSABUF(1, Buffer.from('!'))], 2, { value: 0 }, 0,
    new WSAOVERLAPPED());
  await WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, FALSE);
  await turn();
  expect(slotsInUse()).toBe(before);

  // With a routine: kept until the routine has run, completed at once or not.
  let ran = 0;
  WSASend(p.client, new WSABUF(3, Buffer.from('abc')), 1, null, 0, new WSAOVERLAPPED(), () => { ran++; });
  WSARecv(p.server, new WSABUF(64, buf), 1, null, { value: 0 }, new WSAOVERLAPPED(), () => { ran++; });
  expect(slotsInUse()).toBe(before + 2);
  while (ran < 2) await SleepEx(50, TRUE);
  expect(slotsInUse()).toBe(before);

  // Refused before it starts (bad socket), and a TypeError from a malformed argument.
  expect(WSARecv(999_999, new WSABUF(64, buf), 1, null, { value: 0 }, new WSAOVERLAPPED())).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTSOCK);
  expect(() => WSARecv(p.server, [{ len: 'x', buf } as never], 1, null, { value: 0 }, new WSAOVERLAPPED())).toThrow(TypeError);
  expect(slotsInUse()).toBe(before);

  // Pending, then aborted by closesocket: the routine gets WSA_OPERATION_ABORTED and the slot returns.
  let aborted = -1;
  WSARecv(p.server, new WSABUF(64, buf), 1, null, { value: 0 }, new WSAOVERLAPPED(), (e) => { aborted = e; });
  const aov = new WSAOVERLAPPED();
  aov.hEvent = ev;
  WSARecv(p.server, new WSABUF(64, buf), 1, null, { value: 0 }, aov);
  expect(slotsInUse()).toBe(before + 2);
  closesocket(p.server);
  await SleepEx(0, TRUE);
  await turn();
  expect(aborted).toBe(WSA_OPERATION_ABORTED);
  expect(aov.Internal).toBe(WSA_OPERATION_ABORTED);
  expect(slotsInUse()).toBe(before);

  closesocket(p.client);
  WSACloseEvent(ev);
});

test('10,000 requests in a row hold no more slots than are pending at once', async () => {
  const p = tcpPair();
  const buf = Buffer.alloc(8);
  const before = slotsInUse();
  let peak = 0;
  for (let i = 0; i < 10_000; i++) {
    WSASend(p.client, new WSABUF(1, buf), 1, null, 0, new WSAOVERLAPPED());
    WSARecv(p.server, new WSABUF(1, buf), 1, null, { value: 0 }, new WSAOVERLAPPED(), () => {}); // one byte each
    peak = Math.max(peak, slotsInUse() - before);
    if (i % 100 === 99) { await SleepEx(0, TRUE); await turn(); }
  }
  await SleepEx(0, TRUE);
  await turn();
  expect(peak).toBeLessThanOrEqual(200);
  p.close();
  await SleepEx(0, TRUE);
  await turn();
  expect(slotsInUse()).toBe(before);
});
