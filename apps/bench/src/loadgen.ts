// The C load generator (loadgen/loadgen.c), compiled by compile.ts, run once per measurement, its
// JSON parsed.
import { execFile, execFileSync } from 'node:child_process';
import { builtPath, ensureCompiled } from './compile.js';

const binary = builtPath('loadgen');

export interface LoadgenResult {
  mode: 'pingpong' | 'stream';
  connections: number;
  /** Connections still open at the end: fewer than `connections` means the server refused or dropped some. */
  alive: number;
  size: number;
  seconds: number;
  /** Messages (pingpong) or chunks (stream) echoed in full during the measured seconds. */
  roundTrips: number;
  bytes: number;
  p50_us: number;
  p99_us: number;
  errors: number;
  /** The fewest and the most round trips one open connection got in the measured seconds. */
  leastServed: number;
  mostServed: number;
  /** Every message (or chunk) echoed in full, the warm-up's included. */
  allRoundTrips: number;
  /** Seconds from the start until every connection had its first message echoed (-1: never). The
   * measured seconds begin after the warm-up and not before that (at most 10 s later). */
  firstServed: number;
}

export interface LoadgenOptions {
  port: number;
  mode: 'pingpong' | 'stream';
  connections: number;
  size: number;
  seconds: number;
  warmup: number;
  /** End once this many messages (or chunks) in all have come back; 0 or absent: run the seconds. */
  messages?: number;
}

/** Compiles the load generator if it is missing or older than its source; returns its path. */
export function ensureLoadgen(log: (line: string) => void = () => {}): string {
  return ensureCompiled('loadgen/loadgen.c', 'loadgen', log);
}

export function runLoadgen(o: LoadgenOptions): Promise<LoadgenResult> {
  const args = ['--port', String(o.port), '--mode', o.mode, '--connections', String(o.connections),
    '--size', String(o.size), '--seconds', String(o.seconds), '--warmup', String(o.warmup), ...(o.messages ? ['--messages', String(o.messages)] : [])];
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: (o.seconds + o.warmup + 60) * 1000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as LoadgenResult);
      } catch {
        reject(new Error(`loadgen ${args.join(' ')} failed: ${err?.message ?? ''} ${stderr.trim()}`));
      }
    });
  });
}

/** The soft limit on open files of processes started from here (`ulimit -n`), or Infinity. */
export function openFileLimit(): number {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Infinity : Number(out);
  } catch {
    return Infinity;  // no sh: let the run find out
  }
}
