// Several selects may wait at once in one realm (a server with several groups of <= 64 sockets
// does exactly that), and each realm (worker) has its own.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { WSAStartup, MAKEWORD, WSADATA, fd_set, FD_SET, FD_ISSET, select, timeval, send } from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterEach(closeAll);

test('two selects waiting on different sockets each resolve with their own socket', async () => {
  const a = tcpPair();
  const b = tcpPair();
  const ra = new fd_set();
  const rb = new fd_set();
  FD_SET(a.server, ra); FD_SET(b.server, rb);
  const pa = select(0, ra, null, null, new timeval(5, 0));
  const pb = select(0, rb, null, null, new timeval(5, 0));
  send(b.client, Buffer.from('b'), 1, 0);
  expect(await pb).toBe(1);
  send(a.client, Buffer.from('a'), 1, 0);
  expect(await pa).toBe(1);
  expect(FD_ISSET(a.server, ra) && FD_ISSET(b.server, rb)).toBe(1);
});

test('two selects waiting on the same socket both see it ready', async () => {
  const { client, server } = tcpPair();
  const r1 = new fd_set();
  const r2 = new fd_set();
  FD_SET(server, r1); FD_SET(server, r2);
  const p1 = select(0, r1, null, null, new timeval(5, 0));
  const p2 = select(0, r2, null, null, new timeval(5, 0));
  send(client, Buffer.from('x'), 1, 0);
  expect(await Promise.all([p1, p2])).toEqual([1, 1]);
});

test('a worker selects on a socket the main thread created (socket numbers are process-wide)', async () => {
  const { client, server } = tcpPair();
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const m = require(workerData.entry);
    m.WSAStartup(m.MAKEWORD(2, 2), new m.WSADATA());
    const r = new m.fd_set();
    m.FD_SET(workerData.server, r);
    parentPort.postMessage('waiting');
    m.select(0, r, null, null, new m.timeval(5, 0)).then((n) => { m.WSACleanup(); parentPort.postMessage(n); });`;
  const entry = new URL('../dist/index.cjs', import.meta.url).pathname;
  const worker = new Worker(src, { eval: true, workerData: { server, entry } });
  const result = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m) => { if (m === 'waiting') send(client, Buffer.from('w'), 1, 0); else resolve(m as number); });
    worker.on('error', reject);
  });
  expect(result).toBe(1);
  await worker.terminate();
});

test('terminating a worker while its select waits leaves the process healthy', async () => {
  const { client, server } = tcpPair();
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const m = require(workerData.entry);
    m.WSAStartup(m.MAKEWORD(2, 2), new m.WSADATA());
    const r = new m.fd_set();
    m.FD_SET(workerData.server, r);
    m.select(0, r, null, null, null);
    parentPort.postMessage('waiting');`;
  const entry = new URL('../dist/index.cjs', import.meta.url).pathname;
  const worker = new Worker(src, { eval: true, workerData: { server, entry } });
  await new Promise<void>((resolve, reject) => { worker.on('message', () => resolve()); worker.on('error', reject); });
  await worker.terminate();
  // The socket is still ours and still selectable here.
  const r = new fd_set();
  FD_SET(server, r);
  send(client, Buffer.from('k'), 1, 0);
  expect(await select(0, r, null, null, new timeval(5, 0))).toBe(1);
});

test('a select loop whose socket is always ready lets a waiting select of the same thread take its turn', async () => {
  // Loop A's socket stays readable (nobody reads it), so each of its selects finds it ready at once.
  // B waits on another socket, which becomes ready before A starts looping: B must be answered after
  // a turn or two of A's loop, not after the whole loop (A's answers once ran as microtasks ahead of
  // the event loop's poll, which starved every waiting select: 0.02 least/most at 1,000 connections).
  const a = tcpPair();
  const b = tcpPair();
  send(a.client, Buffer.from('a'), 1, 0);
  const rb = new fd_set();
  FD_SET(b.server, rb);
  let turnsOfA = 0;
  let aTurnsWhenBAnswered = -1;
  const pb = select(0, rb, null, null, new timeval(5, 0)).then((n) => { aTurnsWhenBAnswered = turnsOfA; return n; });
  send(b.client, Buffer.from('b'), 1, 0);
  const ra = new fd_set();
  for (; turnsOfA < 200; turnsOfA++) {
    FD_SET(a.server, ra);
    expect(await select(0, ra, null, null, new timeval(5, 0))).toBe(1);
  }
  expect(await pb).toBe(1);
  expect(aTurnsWhenBAnswered).toBeGreaterThanOrEqual(0);
  expect(aTurnsWhenBAnswered).toBeLessThan(5);
});
