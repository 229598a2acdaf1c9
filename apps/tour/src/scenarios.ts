// The tour's clients, on Node's net (a neutral client: it only needs TCP). Each scenario checks every
// byte that comes back and resolves with what it saw; any mismatch or stall rejects.
import { connect, type Socket } from 'node:net';
import { verifyEcho, pattern } from '@winsock-models/echo';

export interface ScenarioResult {
  name: string;
  ok: boolean;
  bytesVerified: number;
  detail: string;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true }, () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}

function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); }),
  ]);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A stream of `total` bytes (client `id`'s pattern), and a checker for what comes back. */
function payload(id: number, total: number): Buffer {
  const out = Buffer.allocUnsafe(total);
  for (let off = 0, round = 0; off < total; round++) {
    const chunk = pattern(id, round, Math.min(4096, total - off));
    chunk.copy(out, off);
    off += chunk.length;
  }
  return out;
}

/** Collects what a socket receives until it ends; rejects on error. */
function collect(s: Socket, until: 'end' | number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    s.on('data', (c: Buffer) => {
      parts.push(c);
      got += c.length;
      if (typeof until === 'number' && got >= until) resolve(Buffer.concat(parts));
    });
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Connect and echo: several clients ping-ponging 64-byte messages, every byte compared. */
export async function echo(port: number, clients: number, rounds: number): Promise<ScenarioResult & { roundTrips: number; seconds: number }> {
  const t0 = performance.now();
  const r = await verifyEcho({ port, clients, rounds, size: 64, timeoutMs: 20_000 });
  const seconds = (performance.now() - t0) / 1000;
  return { name: 'echo', ok: true, bytesVerified: r.bytesVerified, roundTrips: r.roundTrips, seconds,
    detail: `${clients} clients x ${rounds} round trips of 64 bytes` };
}

/** Half-close: send, shutdown(SD_SEND), and still receive every byte before the server's own close. */
export async function halfClose(port: number): Promise<ScenarioResult> {
  const s = await open(port);
  // One recv's worth (the classic servers read 512 bytes at a time): the close then never finds unread
  // data, whatever order the server learns of the data and the FIN in.
  const data = payload(7, 480);
  const back = collect(s, 'end');
  s.end(data);  // write, then shutdown the sending side: the server sees FD_CLOSE / recv() == 0
  const got = await withTimeout('half-close', 10_000, back);
  s.destroy();
  const diff = firstDifference(got, data);
  if (diff !== -1) throw new Error(`half-close: echoed bytes differ at offset ${diff} (${got.length} of ${data.length})`);
  return { name: 'half-close', ok: true, bytesVerified: got.length,
    detail: `${data.length} bytes then shutdown(SD_SEND); all echoed, then the server closed its side` };
}

/** Abortive close: SO_LINGER {1, 0} and close, so the server gets a reset; then it must still serve. */
export async function abortiveClose(port: number): Promise<ScenarioResult> {
  const s = await open(port);
  const data = payload(9, 64);
  const back = collect(s, data.length);
  s.write(data);
  const got = await withTimeout('abortive close', 10_000, back);
  if (firstDifference(got.subarray(0, 64), data) !== -1) throw new Error('abortive close: echo differs');
  // Data the server has not read yet makes the reset certain to be seen as one.
  s.write(payload(10, 16 * 1024));
  s.resetAndDestroy();  // setsockopt(SO_LINGER, {l_onoff 1, l_linger 0}) + close: RST
  await sleep(50);
  // The server survives the reset: a fresh client is served.
  const after = await echo(port, 1, 5);
  return { name: 'abortive close', ok: true, bytesVerified: 64 + after.bytesVerified,
    detail: 'SO_LINGER {1,0} + closesocket: the server saw a reset and kept serving' };
}

/** A burst larger than both socket buffers while the client is not reading: the server must stop at
 *  WSAEWOULDBLOCK (or a pending send) and resume when space appears. */
export async function burst(port: number, total: number): Promise<ScenarioResult> {
  const s = await open(port);
  const data = payload(11, total);
  s.pause();  // not reading: the server's sends fill the buffers and would block
  s.write(data);
  // Wait until the whole path is full — our unsent bytes stop draining because the server, blocked
  // on its sends (WSAEWOULDBLOCK or a pending WSASend), stopped reading — for 300 ms (a server merely
  // slowed by a busy machine still takes bytes in that time), or 5 s at most.
  let last = -1;
  let still = 0;
  for (let i = 0; i < 100 && still < 6; i++) {
    await sleep(50);
    still = s.writableLength === last && last > 0 ? still + 1 : 0;
    last = s.writableLength;
  }
  const back = collect(s, total);
  s.resume();
  const got = await withTimeout('burst', 20_000, back);
  s.destroy();
  const diff = firstDifference(got.subarray(0, total), data);
  if (diff !== -1) throw new Error(`burst: echoed bytes differ at offset ${diff}`);
  return { name: 'burst', ok: true, bytesVerified: total,
    detail: `${(total / 1048576).toFixed(0)} MiB written at once while not reading, then read back` };
}
