// The structured trace: FD_* recorded and re-enabled with the call that re-enabled them, select's
// ready sets, an overlapped request pending then completed with its routine run in the named alertable
// wait, or its packet queued to a completion port; nothing recorded while off, nor from another realm.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import {
  FALSE, FD_READ, FD_WRITE, FD_CLOSE, FD_SETSIZE, SleepEx, TRUE, WSABUF, WSACloseEvent, WSACreateEvent, WSAOVERLAPPED,
  WSARecv, WSAWaitForMultipleEvents, WSA_INFINITE, recv, send, closesocket,
} from '../src/index.js';
import { native, traceStart, type TraceRecord, type TraceSession } from '../src/internal.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);
let session: TraceSession | undefined;
afterEach(() => session?.stop());

const on = (rs: TraceRecord[], s: number) => rs.filter((r) => r.socket === s).map((r) => `${r.kind} ${r.a}`);

test('FD_READ is recorded once, recv re-enables it, and WSAEnumNetworkEvents reports it', async () => {
  const p = tcpPair();
  const ev = WSACreateEvent();
  session = traceStart();
  native.WSAEventSelect(p.server, ev, FD_READ | FD_WRITE | FD_CLOSE);
  // FD_WRITE at registration (the socket is connected): the event is set at once.
  await WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, FALSE);
  native.WSAEnumNetworkEvents(p.server, ev, new Uint8Array(44));
  send(p.client, Buffer.from('abc'), 3, 0);
  await WSAWaitForMultipleEvents(1, [ev], FALSE, WSA_INFINITE, FALSE);
  native.WSAEnumNetworkEvents(p.server, ev, new Uint8Array(44));
  expect(recv(p.server, Buffer.alloc(8), 8, 0)).toBe(3);
  const rs = session.drain();
  expect(on(rs, p.server)).toEqual([
    `recorded ${FD_WRITE}`, `WSAEnumNetworkEvents ${FD_WRITE}`,
    `recorded ${FD_READ}`, `WSAEnumNetworkEvents ${FD_READ}`,
    'recv 3', `reenabled ${FD_READ}`,  // a call's re-enabling follows its own record
  ]);
  expect(session.lost).toBe(0);
  session.stop();
  // Off: nothing more is recorded.
  send(p.client, Buffer.from('d'), 1, 0);
  expect(recv(p.server, Buffer.alloc(8), 8, 0)).toBe(1);
  expect(session.drain()).toEqual([]);
  native.WSAEventSelect(p.server, ev, 0);
  WSACloseEvent(ev);
  p.close();
});

test('select\'s return is recorded with each ready socket and its sets', async () => {
  const p = tcpPair();
  session = traceStart();
  send(p.client, Buffer.from('x'), 1, 0);
  const set = (fd: number) => Int32Array.from([1, fd, ...new Array(FD_SETSIZE - 1).fill(0)]);
  expect(await native.select(set(p.server), set(p.server), null, null)).toBe(2);
  const rs = session.drain();
  const at = rs.findIndex((x) => x.kind === 'select');
  expect(rs[at]).toMatchObject({ socket: -1, a: 2, b: 1 });
  expect(rs[at + 1]).toMatchObject({ kind: 'select ready', socket: p.server, a: 1 | 2 });
  p.close();
});

test('an overlapped WSARecv goes pending, completes, and its routine runs in SleepEx', async () => {
  const p = tcpPair();
  session = traceStart();
  let ran = 0;
  WSARecv(p.server, [new WSABUF(8, Buffer.alloc(8))], 1, null, { value: 0 }, new WSAOVERLAPPED(), () => { ran++; });
  send(p.client, Buffer.from('hello'), 5, 0);
  expect(await SleepEx(INFINITE_MS, TRUE)).toBe(0xc0);
  expect(ran).toBe(1);
  const rs = session.drain();
  const issued = rs.find((x) => x.kind === 'overlapped issued')!;
  expect(issued).toMatchObject({ socket: p.server, a: 0, c: 1 });
  const completed = rs.find((x) => x.kind === 'overlapped completed')!;
  expect(completed).toMatchObject({ a: 0, b: 5, c: issued.b });
  expect(completed.d & 256).toBe(256);  // a routine was queued
  expect(completed.d & 512).toBe(0);    // not inside the call: it went WSA_IO_PENDING first
  expect(rs.filter((x) => x.kind === 'routine run')).toEqual([
    expect.objectContaining({ a: issued.b, b: 0, c: 5, wait: 'SleepEx' }),
  ]);
  expect(rs.indexOf(issued)).toBeLessThan(rs.indexOf(completed));
  p.close();
});
test('a WSARecv on a socket associated with a completion port is recorded as going to the port', async () => {
  const p = tcpPair();
  const port = native.iocpCreate(p.server, 0, 7, 0);
  expect(port).not.toBe(0);
  session = traceStart();
  const ov = new WSAOVERLAPPED();
  WSARecv(p.server, [new WSABUF(8, Buffer.alloc(8))], 1, null, { value: 0 }, ov, null);
  send(p.client, Buffer.from('hello'), 5, 0);
  const outcome = await native.iocpWait(port, 1, 5000, false);
  expect(Array.from(outcome ?? native.iocpResult).slice(0, 2)).toEqual([0, 1]);  // one packet
  const rs = session.drain();
  const issued = rs.find((x) => x.kind === 'overlapped issued')!;
  expect(issued).toMatchObject({ socket: p.server, a: 0, c: 2 });  // 2: its completion goes to a port
  const completed = rs.find((x) => x.kind === 'overlapped completed')!;
  expect(completed).toMatchObject({ a: 0, b: 5, c: issued.b });
  expect(completed.d & (256 | 1024)).toBe(1024);  // a packet queued to the port, no routine
  p.close();
  native.iocpClose(port);
});
const INFINITE_MS = 0xffffffff;

test('another realm\'s calls are not recorded in this realm\'s trace', async () => {
  session = traceStart();
  const worker = new Worker(`
    const c = require(${JSON.stringify(new URL('../dist/index.cjs', import.meta.url).pathname)});
    c.WSAStartup(0x202, new c.WSADATA());
    const s = c.socket(c.AF_INET, c.SOCK_STREAM, 0);
    c.closesocket(s);
    require('node:worker_threads').parentPort.postMessage(s);
  `, { eval: true });
  const s = await new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  await worker.terminate();
  expect(session.drain().filter((r) => r.socket === s && r.kind === 'closesocket')).toEqual([]);
  // The same call here is recorded.
  const p = tcpPair();
  closesocket(p.client);
  expect(session.drain().filter((r) => r.kind === 'closesocket').map((r) => r.socket)).toContain(p.client);
  closesocket(p.server);
});

test('a ring lapped before it is drained keeps the newest records and counts the lost ones', () => {
  const p = tcpPair();
  session = traceStart(1024);  // the smallest ring
  const buf = Buffer.alloc(1);
  for (let i = 0; i < 1500; i++) {  // two records per round: the send and the recv
    send(p.client, buf, 1, 0);
    recv(p.server, buf, 1, 0);
  }
  const rs = session.drain();
  expect(rs).toHaveLength(1024);
  expect(session.lost).toBe(3000 - 1024);
  expect(rs.at(-1)).toMatchObject({ kind: 'recv', socket: p.server, a: 1, b: 0 });
  expect(rs.every((r, i) => i === 0 || r.time >= rs[i - 1]!.time)).toBe(true);
  p.close();
});
