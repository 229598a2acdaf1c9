import { connect, type Socket } from 'node:net';
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

/** Waits (at most 10 s) until pred holds. */
async function until(pred: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** n clients connected at once, each having had one message echoed (so every one was accepted). */
async function holdClients(port: number, n: number): Promise<Socket[]> {
  return Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.write('ping'));
    c.once('data', () => resolve(c));
    c.once('error', reject);
  })));
}

test('select groups whose clients have all gone end, but one stays to accept', async () => {
  const lines: string[] = [];
  const s = await startEcho('select', (line) => lines.push(line));
  const count = (text: string) => lines.filter((l) => l.includes(text)).length;
  try {
    const clients = await holdClients(s.port, 150);  // three groups of up to 63
    const started = count('started');
    expect(started).toBe(3);
    for (const c of clients) c.destroy();
    // Each group but one ends once its last client's close is read.
    await until(() => count('group ended') === started - 1);
    const again = await verifyEcho({ port: s.port, clients: 64, rounds: 2, size: 64 });
    expect(again.bytesVerified).toBe(64 * 2 * 64);
    expect(count('group ended')).toBe(started - 1);
  } finally {
    await s.stop();
  }
});
