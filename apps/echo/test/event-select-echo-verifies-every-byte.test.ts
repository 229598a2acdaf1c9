import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyEcho } from '../src/client.js';
import { startEcho } from './harness.js';

let server: Awaited<ReturnType<typeof startEcho>>;
let closed = 0;  // server sockets the server has closed (its trace says "socket N closed")
beforeAll(async () => { server = await startEcho('event-select', (line) => { if (/socket \d+ closed/.test(line)) closed++; }); });
afterAll(async () => { await server.stop(); });

test('the classic WSAEventSelect server echoes 60 clients x 20 rounds with every byte verified', async () => {
  const r = await verifyEcho({ port: server.port, clients: 60, rounds: 20, size: 64 });
  expect(r.bytesVerified).toBe(60 * 20 * 64);
});

test('it serves a second wave of clients after the first closed (sockets and events are recycled)', async () => {
  // The first wave's 60 sockets must be closed before 40 more fit in 63 slots. accept re-records
  // FD_ACCEPT at once and the listener is index 0 (the lowest wins), so a second wave arriving while
  // those FD_CLOSEs are still unhandled would be accepted first and refused (as on Windows).
  for (let i = 0; i < 500 && closed < 60; i++) await new Promise((r) => setTimeout(r, 10));
  expect(closed).toBe(60);
  const r = await verifyEcho({ port: server.port, clients: 40, rounds: 5, size: 300 });
  expect(r.bytesVerified).toBe(40 * 5 * 300);
});
