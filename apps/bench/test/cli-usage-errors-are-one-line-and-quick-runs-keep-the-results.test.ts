// The bench CLI answers a wrong flag or a bad value with one line and exit code 2, never a stack, and a
// --quick run can never write over the committed full results.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const bench = fileURLToPath(new URL('../dist/bench.js', import.meta.url));
const committed = fileURLToPath(new URL('../results', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [bench, ...args], { encoding: 'utf8', timeout: 30_000 });

test.each([
  [['--bogus'], /^winsock-bench: Unknown option '--bogus' \(--help for usage\)\n$/],
  [['results'], /^winsock-bench: Unexpected argument 'results'.*\n$/],
  [['--rounds', 'x'], /^winsock-bench: --rounds must be a positive number\n$/],
  [['--loads', 'nope'], /^winsock-bench: --loads: one or more of pp1, pp64, pp1000, stream\n$/],
  [['--quick', '--out', committed], /^winsock-bench: --quick never writes .*apps\/bench\/results: those are a full run's results \(choose another --out\)\n$/],
])('bench %j prints one line and exits with 2', (args, line) => {
  const r = run(args);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(line);
  expect(r.stdout).toBe('');
});

test('bench --quick without --out writes results/quick/ and leaves the committed results as they were', () => {
  const files = ['results.md', 'results.json', 'results.svg'];
  const before = files.map((f) => readFileSync(join(committed, f), 'utf8'));
  const r = run(['--quick', '--models', 'net', '--loads', 'pp1', '--seconds', '0.05', '--warmup', '0.01']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`written: ${join(committed, 'quick', 'results.md')}`);
  expect(JSON.parse(readFileSync(join(committed, 'quick', 'results.json'), 'utf8')).info.quick).toBe(true);
  expect(files.map((f) => readFileSync(join(committed, f), 'utf8'))).toEqual(before);
});
