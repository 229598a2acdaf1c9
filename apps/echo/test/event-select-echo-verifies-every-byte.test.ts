import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => { server = await startEcho('event-select'); });
afterAll(async () => { await server.stop(); });

test('the classic WSAEventSelect server echoes 60 clients x 20 rounds with every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 60, rounds: 20, size: 64 });
  expect(r.bytesVerified).toBe(60 * 20 * 64);
});

test('it serves a second wave of clients after the first closed (sockets and events are recycled)', async () => {
  const r = await verifyEcho({ port: server.port, clients: 40, rounds: 5, size: 300 });
  expect(r.bytesVerified).toBe(40 * 5 * 300);
});
