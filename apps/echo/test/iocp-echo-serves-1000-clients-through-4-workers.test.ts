import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => { server = await startEcho('iocp', undefined, 4); });
afterAll(async () => { await server.stop(); });

test('the IOCP server echoes 1,000 concurrent clients through 4 worker threads, every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 1000, rounds: 3, size: 100, timeoutMs: 50_000 });
  expect(r.bytesVerified).toBe(1000 * 3 * 100);
});

test('a message larger than the server\'s 64 KiB buffer comes back whole', async () => {
  const r = await verifyEcho({ port: server.port, clients: 4, rounds: 2, size: 200_000 });
  expect(r.bytesVerified).toBe(4 * 2 * 200_000);
});
