// A client that sends and then shuts down its side at once (often before the server has even accepted)
// gets every byte back and then a graceful end, never a reset — whatever the model.
import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { availableModels } from '../src/server.js';
import { startEcho } from './harness.js';

function halfClose(port: number, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 13) & 0xff;
    const chunks: Buffer[] = [];
    const s = connect({ port, host: '127.0.0.1' }, () => s.end(payload));
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => {
      const got = Buffer.concat(chunks);
      if (!got.equals(payload)) reject(new Error(`echoed ${got.length} of ${size} bytes, or different ones`));
      else resolve(got.length);
    });
    s.on('error', reject);
  });
}

for (const model of availableModels()) {
  test(`${model}: a client that sends 3,000 bytes and shuts down gets them all back, then a graceful end`, async () => {
    const server = await startEcho(model);
    try {
      for (let i = 0; i < 10; i++) expect(await halfClose(server.port, 3000)).toBe(3000);
    } finally {
      await server.stop();
    }
  });
}
