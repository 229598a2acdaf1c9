// A blocking Winsock call that has to wait waits alertably, as on Windows (spec §3.11; Wine's
// test_WSARecv and test_accept): queued routines run first, pending overlapped operations go on while
// it waits, and a routine may supply what the call waits for. A call that can finish at once runs none.
// Every blocking receive here has SO_RCVTIMEO set, and the blocking accept a watchdog that connects
// after a while, so a wait that ran no routine ends (and the test fails) instead of hanging.
import { Worker } from 'node:worker_threads';
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, INVALID_SOCKET, SOCK_STREAM, SOCKADDR_IN, SOCKET_ERROR, SOL_SOCKET, SO_RCVTIMEO, SleepEx,
  WAIT_IO_COMPLETION, WSABUF, WSAGetLastError, WSAOVERLAPPED, WSARecv, WSA_IO_PENDING, accept, closesocket,
  connect, ntohs, recv, send, setsockopt, sizeof, socket, type SOCKET,
} from '../src/index.js';
import { listener, ok, startup, tcpPair } from './helpers.js';

beforeAll(startup);

const turn = () => new Promise((r) => setTimeout(r, 20));
const TIMEOUT_MS = 3000;

function pendingRecv(s: SOCKET, routine: (err: number, n: number) => void): void {
  const r = WSARecv(s, [new WSABUF(16, Buffer.alloc(16))], 1, null, { value: 0 }, new WSAOVERLAPPED(), routine);
  expect(r).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
}

function blockingRecv(s: SOCKET): string {
  expect(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, { value: TIMEOUT_MS }, 4)).toBe(0);
  const buf = Buffer.alloc(16);
  const n = ok(recv(s, buf, 16, 0), 'recv');
  return buf.subarray(0, n).toString();
}

test('a blocking recv that has to wait runs the routines already queued, and one of them can send what it waits for', async () => {
  const a = tcpPair(), b = tcpPair();
  const ran: number[] = [];
  pendingRecv(a.server, (err, n) => {
    ran.push(err, n);
    send(b.client, Buffer.from('hi'), 2, 0);
  });
  send(a.client, Buffer.from('ping'), 4, 0);
  await turn(); // the receive completes on the loop; its routine waits for an alertable wait
  expect(ran).toEqual([]);
  expect(blockingRecv(b.server)).toBe('hi');
  expect(ran).toEqual([0, 4]);
  expect(await SleepEx(0, true)).toBe(0); // nothing was left queued
  a.close();
  b.close();
});

test('while a blocking recv waits, pending overlapped receives complete and their routines run', async () => {
  const a = tcpPair(), b = tcpPair();
  const ran: string[] = [];
  pendingRecv(a.server, (err, n) => {
    ran.push(`a ${err} ${n}`);
    send(b.client, Buffer.from('from a'), 6, 0);
  });
  // The data reaches a.server now, but no loop turn passes before the blocking call: only its wait
  // can see the receive through.
  send(a.client, Buffer.from('xyz'), 3, 0);
  expect(blockingRecv(b.server)).toBe('from a');
  expect(ran).toEqual(['a 0 3']);
  a.close();
  b.close();
});

test('a blocking recv that can finish at once runs no routine; the next alertable wait does', async () => {
  const a = tcpPair(), b = tcpPair();
  const ran: number[] = [];
  pendingRecv(a.server, (_err, n) => ran.push(n));
  send(a.client, Buffer.from('late'), 4, 0);
  await turn();
  send(b.client, Buffer.from('now'), 3, 0);
  expect(blockingRecv(b.server)).toBe('now');
  expect(ran).toEqual([]);
  expect(await SleepEx(0, true)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toEqual([4]);
  a.close();
  b.close();
});

test('a blocking accept waits alertably: a routine that connects ends it', async () => {
  const a = tcpPair();
  const l = listener();
  let client: SOCKET = INVALID_SOCKET;
  pendingRecv(a.server, () => {
    client = socket(AF_INET, SOCK_STREAM, 0);
    ok(connect(client, l.addr, sizeof(l.addr)), 'connect');
  });
  send(a.client, Buffer.from('go'), 2, 0);
  await turn();
  const port = ntohs((l.addr as SOCKADDR_IN).sin_port);
  const watchdog = new Worker(`setTimeout(() => require('node:net').connect(${port}, '127.0.0.1')
    .on('error', () => {}), ${TIMEOUT_MS})`, { eval: true });
  const accepted = ok(accept(l.s, null, null), 'accept');
  await watchdog.terminate();
  expect(client).not.toBe(INVALID_SOCKET);
  send(client, Buffer.from('ok'), 2, 0);
  expect(blockingRecv(accepted)).toBe('ok');
  for (const s of [accepted, client, l.s]) closesocket(s);
  a.close();
});

test('a routine that throws out of a blocking wait leaves the socket usable', async () => {
  const a = tcpPair(), b = tcpPair();
  pendingRecv(a.server, () => { throw new Error('routine failed'); });
  send(a.client, Buffer.from('boom'), 4, 0);
  await turn();
  expect(setsockopt(b.server, SOL_SOCKET, SO_RCVTIMEO, { value: TIMEOUT_MS }, 4)).toBe(0);
  expect(() => recv(b.server, Buffer.alloc(4), 4, 0)).toThrow('routine failed');
  send(b.client, Buffer.from('fine'), 4, 0);
  expect(blockingRecv(b.server)).toBe('fine');
  a.close();
  b.close();
});
