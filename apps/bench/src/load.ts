// The load generator (Node's net; model-agnostic: it only needs a TCP echo server).
import { connect, type Socket } from 'node:net';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `connections` sockets each sending `size` bytes and waiting for them to come back, over and over.
 * Counts round trips during `seconds` after `warmup` seconds. Returns round trips per second.
 */
export async function pingPong(port: number, connections: number, size: number, warmup: number, seconds: number): Promise<number> {
  const socks = await Promise.all(Array.from({ length: connections }, () => open(port)));
  const msg = Buffer.alloc(size, 0x61);
  let counting = false;
  let trips = 0;
  let running = true;
  for (const s of socks) {
    let got = 0;
    s.on('data', (chunk) => {
      got += chunk.length;
      while (got >= size) {
        got -= size;
        if (counting) trips++;
        if (running) s.write(msg);
      }
    });
    s.on('error', () => {});
    s.write(msg);
  }
  await sleep(warmup * 1000);
  counting = true;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  counting = false;
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  for (const s of socks) s.destroy();
  return trips / elapsed;
}

/** One connection writing `chunk`-byte buffers as fast as the echo comes back. Returns bytes echoed per second. */
export async function stream(port: number, chunk: number, warmup: number, seconds: number): Promise<number> {
  const s = await open(port);
  const buf = Buffer.alloc(chunk, 0x62);
  let counting = false;
  let bytes = 0;
  let running = true;
  // At most this much in flight, so the measure is the echo rate, not how much the buffers hold.
  const window = 8 * chunk;
  let inflight = 0;
  const pump = () => {
    while (running && inflight + chunk <= window) {
      inflight += chunk;
      if (!s.write(buf)) { s.once('drain', pump); return; }
    }
  };
  s.on('data', (c) => {
    inflight -= c.length;
    if (counting) bytes += c.length;
    pump();
  });
  s.on('error', () => {});
  pump();
  await sleep(warmup * 1000);
  counting = true;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  counting = false;
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  s.destroy();
  return bytes / elapsed;
}
