import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => { server = await startEcho('select'); });
afterAll(async () => { await server.stop(); });

test('the select server echoes 200 concurrent clients (four select groups of <= 64) with every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 200, rounds: 20, size: 64 });
  expect(r.bytesVerified).toBe(200 * 20 * 64);
});

test('the select server echoes large messages that take several recv/send passes', async () => {
  const r = await verifyEcho({ port: server.port, clients: 4, rounds: 5, size: 256 * 1024 });
  expect(r.bytesVerified).toBe(4 * 5 * 256 * 1024);
});
