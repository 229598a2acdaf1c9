// A wrong flag, an unknown model or a file that cannot be written: one line on stderr, a non-zero exit
// status, no stack trace. (The tour listens on free ports of its own choosing: no port can be busy.)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 60_000 });

function expectOneLine(r: ReturnType<typeof run>, status: number, text: RegExp) {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(text);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

test('an unknown flag is one line and status 2', () => {
  expectOneLine(run('--bogus'), 2, /^tour: Unknown option '--bogus'; see pnpm tour -- --help$/);
});

test('a flag without its value is one line and status 2', () => {
  expectOneLine(run('--html'), 2, /^tour: Option '--html <value>' argument missing; see pnpm tour -- --help$/);
});

test('an unknown model is one line and status 2', () => {
  expectOneLine(run('--models', 'nope'), 2, /^tour: no echo server for model nope; available: /);
});

test('an --html file that cannot be written is one line and status 1', () => {
  expectOneLine(run('--models', 'net', '--html', '/nonexistent-dir/tour.html'), 1, /^tour: cannot write \/nonexistent-dir\/tour\.html: ENOENT$/);
});
