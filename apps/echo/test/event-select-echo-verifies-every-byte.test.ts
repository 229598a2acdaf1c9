import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
// The server's own account of the sockets it closed, so the second wave starts once the first has
// really gone (the server holds at most 63 clients, and closes each when it handles its FD_CLOSE).
let closed = 0;
let onClosed: (() => void) | null = null;
beforeAll(async () => {
  server = await startEcho('event-select', (line) => {
    if (/socket \d+ closed/.test(line)) { closed++; onClosed?.(); }
  });
});
function closedAtLeast(n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => { if (closed >= n) { onClosed = null; resolve(); } };
    onClosed = check;
    check();
  });
}
afterAll(async () => { await server.stop(); });

test('the classic WSAEventSelect server echoes 60 clients x 20 rounds with every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 60, rounds: 20, size: 64 });
  expect(r.bytesVerified).toBe(60 * 20 * 64);
});

test('it serves a second wave of clients after the first closed (sockets and events are recycled)', async () => {
  await closedAtLeast(60);
  const r = await verifyEcho({ port: server.port, clients: 40, rounds: 5, size: 300 });
  expect(r.bytesVerified).toBe(40 * 5 * 300);
});
