// A burst larger than both socket buffers while the client does not read: the server's sends fail
// with WSAEWOULDBLOCK, the FD_READs meanwhile are consumed without recv, and the server must still
// receive again after the FD_WRITE that drains it (see the README). Every byte is compared.
import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { startEcho } from './harness.js';

const TOTAL = 16 * 1024 * 1024;

async function burst(port: number): Promise<void> {
  const data = Buffer.allocUnsafe(TOTAL);
  for (let i = 0; i < TOTAL; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
  const s = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); });
  s.pause();
  s.write(data);
  // Until our unsent bytes stop draining for 300 ms: the server stopped reading (its sends blocked).
  let last = -1;
  for (let i = 0, still = 0; i < 100 && still < 6; i++) {
    await new Promise((r) => setTimeout(r, 50));
    still = s.writableLength === last && last > 0 ? still + 1 : 0;
    last = s.writableLength;
  }
  const parts: Buffer[] = [];
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stalled after ${got} of ${TOTAL} bytes`)), 30_000);
    s.on('data', (c: Buffer) => { parts.push(c); got += c.length; if (got >= TOTAL) { clearTimeout(timer); resolve(); } });
    s.on('error', reject);
    s.resume();
  });
  s.destroy();
  expect(Buffer.compare(Buffer.concat(parts).subarray(0, TOTAL), data)).toBe(0);
  expect(got).toBe(TOTAL);
}

for (const model of ['event-select', 'event-select-groups'] as const) {
  test(`the ${model} server echoes a 16 MiB burst sent while the client was not reading`, async () => {
    const server = await startEcho(model);
    try {
      await burst(server.port);
    } finally {
      await server.stop();
    }
  });
}
