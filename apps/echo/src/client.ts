// A load-driving echo client on Node's net: N concurrent connections, each sending `rounds` messages
// of `size` bytes and checking every echoed byte. Used by the tests and the tour; the benchmark's
// load generator lives in apps/bench.
import { connect, type Socket } from 'node:net';

export interface VerifyOptions {
  host?: string;
  port: number;
  clients: number;
  rounds: number;
  size: number;
  /** Give up (reject) after this many milliseconds. */
  timeoutMs?: number;
}

export interface VerifyResult {
  clients: number;
  bytesVerified: number;
  roundTrips: number;
}

/** Each byte of client i, round r, position k is (i * 31 + r * 7 + k) & 0xff: a mix-up shows. */
export function pattern(client: number, round: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let k = 0; k < size; k++) b[k] = (client * 31 + round * 7 + k) & 0xff;
  return b;
}

function runClient(i: number, o: Required<VerifyOptions>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect({ host: o.host, port: o.port, noDelay: true });
    let round = 0;
    let expected = pattern(i, 0, o.size);
    let got = 0;
    let verified = 0;
    sock.on('connect', () => sock.write(expected));
    sock.on('data', (chunk) => {
      let off = 0;
      while (off < chunk.length) {
        const take = Math.min(chunk.length - off, o.size - got);
        if (Buffer.compare(chunk.subarray(off, off + take), expected.subarray(got, got + take)) !== 0) {
          sock.destroy();
          reject(new Error(`client ${i} round ${round}: echoed bytes differ at offset ${got}`));
          return;
        }
        off += take;
        got += take;
        verified += take;
        if (got === o.size) {
          round++;
          got = 0;
          if (round === o.rounds) {
            if (off !== chunk.length) { reject(new Error(`client ${i}: ${chunk.length - off} bytes too many`)); return; }
            sock.end();
            resolve(verified);
            return;
          }
          expected = pattern(i, round, o.size);
          sock.write(expected);
        }
      }
    });
    sock.on('error', (e) => reject(new Error(`client ${i}: ${e.message}`)));
    sock.on('close', () => { if (round < o.rounds) reject(new Error(`client ${i}: closed after ${round} rounds`)); });
  });
}

/** Drives `clients` concurrent ping-pong clients; resolves when every byte came back right. */
export async function verifyEcho(options: VerifyOptions): Promise<VerifyResult> {
  const o: Required<VerifyOptions> = { host: '127.0.0.1', timeoutMs: 30_000, ...options };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`echo verification timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
  });
  try {
    const counts = await Promise.race([Promise.all(Array.from({ length: o.clients }, (_, i) => runClient(i, o))), timeout]);
    return { clients: o.clients, bytesVerified: counts.reduce((a, b) => a + b, 0), roundTrips: o.clients * o.rounds };
  } finally {
    clearTimeout(timer);
  }
}
