import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => { server = await startEcho('net'); });
afterAll(async () => { await server.stop(); });

test('the net baseline echoes 50 clients x 20 rounds with every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 50, rounds: 20, size: 64 });
  expect(r.bytesVerified).toBe(50 * 20 * 64);
});
