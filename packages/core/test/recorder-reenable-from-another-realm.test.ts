import { beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, connect, accept, send, getsockname, closesocket, inet_pton,
  sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, FD_READ,
  WSA_WAIT_EVENT_0, FALSE,
} from '../src/index.js';
import { native } from '../src/internal.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

const dist = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

function enumBits(s: number, ev: number): number {
  const ne = new Uint8Array(44);
  expect(native.WSAEnumNetworkEvents(s, ev, ne)).toBe(0);
  return new DataView(ne.buffer).getInt32(0, true);
}

test('a recv in a worker re-enables FD_READ for a socket the main thread registered', async () => {
  const ls = socket(AF_INET, SOCK_STREAM, 0);
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  bind(ls, addr, sizeof(addr));
  listen(ls, 4);
  getsockname(ls, addr, { value: sizeof(addr) });
  const client = socket(AF_INET, SOCK_STREAM, 0);
  expect(connect(client, addr, sizeof(addr))).toBe(0);
  const server = accept(ls, null, null);
  const ev = WSACreateEvent();
  expect(native.WSAEventSelect(server, ev, FD_READ)).toBe(0);
  send(client, Buffer.from('0123456789'), 10, 0);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 5000, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(enumBits(server, ev)).toBe(FD_READ);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 100, FALSE)).toBe(258);  // not again before a recv

  // Socket numbers are process-wide: the worker receives 4 of the 10 bytes on the same socket.
  const worker = new Worker(
    `const core = require(${JSON.stringify(dist)});
     const { parentPort, workerData } = require('node:worker_threads');
     parentPort.postMessage(core.recv(workerData, Buffer.alloc(4), 4, 0));`,
    { eval: true, workerData: server },
  );
  const got = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  expect(got).toBe(4);
  await worker.terminate();
  // The re-enable reached the main thread's watcher: 6 bytes remain, so FD_READ is recorded again.
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 5000, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(enumBits(server, ev)).toBe(FD_READ);
  closesocket(client);
  closesocket(server);
  closesocket(ls);
  WSACloseEvent(ev);
});

test('a worker that exits with a registered socket leaves the socket usable', async () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  const worker = new Worker(
    `const core = require(${JSON.stringify(dist)});
     const { parentPort, workerData } = require('node:worker_threads');
     const ev = core.WSACreateEvent();
     const internal = require(${JSON.stringify(dist.replace('index.cjs', 'internal.cjs'))});
     parentPort.postMessage(internal.native.WSAEventSelect(workerData, ev, 0x3f));`,
    { eval: true, workerData: s },
  );
  const r = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  expect(r).toBe(0);
  await worker.terminate();
  // The registration outlives its realm's watcher; cancelling and closing still work.
  expect(native.WSAEventSelect(s, null, 0)).toBe(0);
  expect(closesocket(s)).toBe(0);
});
