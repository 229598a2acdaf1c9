import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => { server = await startEcho('overlapped-event'); });
afterAll(async () => { await server.stop(); });

test('the overlapped-event server echoes 500 concurrent clients (8 wait groups) with every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 500, rounds: 10, size: 100, timeoutMs: 50_000 });
  expect(r.bytesVerified).toBe(500 * 10 * 100);
});

test('a message larger than the server\'s 64 KiB buffer comes back whole', async () => {
  const r = await verifyEcho({ port: server.port, clients: 4, rounds: 3, size: 200_000 });
  expect(r.bytesVerified).toBe(4 * 3 * 200_000);
});
