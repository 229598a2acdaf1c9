// The bench's C programs (the load generator and the reference echo server): compiled on first use
// with the machine's cc into build/ (gitignored), again whenever the source is newer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where the program `name` is built. */
export const builtPath = (name: string): string => `${root}build/${name}`;

/** Compiles `source` (relative to the package) into build/`name` if needed; returns the binary's path. */
export function ensureCompiled(source: string, name: string, log: (line: string) => void = () => {}): string {
  const src = `${root}${source}`;
  const binary = builtPath(name);
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(src).mtimeMs) return binary;
  mkdirSync(`${root}build`, { recursive: true });
  const cc = process.env.CC ?? 'cc';
  log(`compiling ${source}: ${cc} -O2`);
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', binary, src], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (err) {
    throw new Error(`could not compile ${src} with ${cc} (set CC to another C compiler): ${(err as Error).message}`);
  }
  return binary;
}
