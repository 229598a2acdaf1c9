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
}

export interface LoadgenOptions {
  port: number;
  mode: 'pingpong' | 'stream';
  connections: number;
  size: number;
  seconds: number;
  warmup: number;
}

/** Compiles the load generator if it is missing or older than its source; returns its path. */
export function ensureLoadgen(log: (line: string) => void = () => {}): string {
  return ensureCompiled('loadgen/loadgen.c', 'loadgen', log);
}

export function runLoadgen(o: LoadgenOptions): Promise<LoadgenResult> {
  const args = ['--port', String(o.port), '--mode', o.mode, '--connections', String(o.connections),
    '--size', String(o.size), '--seconds', String(o.seconds), '--warmup', String(o.warmup)];
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
