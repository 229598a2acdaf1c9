import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => { server = await startEcho('event-select-groups'); });
afterAll(async () => { await server.stop(); });

test('the wait-group WSAEventSelect server echoes 200 concurrent clients x 10 rounds, every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 200, rounds: 10, size: 64 });
  expect(r.bytesVerified).toBe(200 * 10 * 64);
});
