import { afterEach, beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import {
  WSAStartup, MAKEWORD, WSADATA, SOCKET_ERROR, WSAENOTSOCK, WSAGetLastError, fd_set, FD_SET, FD_ISSET, select,
  closesocket,
} from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('a socket in readfds closed while select waits is reported readable', async () => {
  const { server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  const pending = select(0, r, null, null, null);
  setTimeout(() => closesocket(server), 10);
  expect(await pending).toBe(1);
  expect(FD_ISSET(server, r)).toBe(1);
});

test('a socket only in exceptfds closed while select waits fails the call with WSAENOTSOCK and leaves the set', async () => {
  const { server } = tcpPair();
  const e = new fd_set();
  FD_SET(server, e);
  const pending = select(0, null, null, e, null);
  setTimeout(() => closesocket(server), 10);
  expect(await pending).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTSOCK);
  expect(e.fd_count).toBe(0);  // Windows takes the closed socket out of the set (issue 15, item 3)
});

test('a close from another realm (a worker) ends the wait too', async () => {
  const { server } = tcpPair();
  const r = new fd_set();
  FD_SET(server, r);
  const pending = select(0, r, null, null, null);
  const entry = new URL('../dist/index.cjs', import.meta.url).pathname;
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const m = require(workerData.entry);
    m.WSAStartup(m.MAKEWORD(2, 2), new m.WSADATA());
    parentPort.postMessage(m.closesocket(workerData.server));`, { eval: true, workerData: { server, entry } });
  const closed = await new Promise((resolve, reject) => { worker.on('message', resolve); worker.on('error', reject); });
  expect(closed).toBe(0);
  expect(await pending).toBe(1);
  expect(FD_ISSET(server, r)).toBe(1);
  await worker.terminate();
});
