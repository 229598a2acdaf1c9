// The C load generator (loadgen/loadgen.c): compiled on first use with the machine's cc into build/
// (gitignored; rebuilt when the source is newer), run once per measurement, its JSON parsed.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}loadgen/loadgen.c`;
const binary = `${root}build/loadgen`;

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
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(`${root}build`, { recursive: true });
  const cc = process.env.CC ?? 'cc';
  log(`compiling the load generator: ${cc} -O2 ${source}`);
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', binary, source], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (err) {
    throw new Error(`could not compile ${source} with ${cc} (set CC to another C compiler): ${(err as Error).message}`);
  }
  return binary;
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
