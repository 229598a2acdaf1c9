// Every `pnpm example <package> <example>` the docs show names an example that exists, every example is
// shown in its package's README, and the runner answers an unknown name with one line and exit code 2.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { listExamples } from '../../../scripts/example.mjs';
import { readmes, root } from '../src/blocks.js';

const examples = listExamples();
const runner = join(root, 'scripts/example.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [runner, '--no-build', ...args], { encoding: 'utf8' });

test('every pnpm example command in the READMEs and docs names an existing example', () => {
  const shown: string[] = [];
  for (const file of readmes()) {
    for (const m of readFileSync(file, 'utf8').matchAll(/pnpm example ([a-z-]+) ([a-z-]+)/g)) shown.push(`${m[1]} ${m[2]}`);
  }
  expect(shown.length).toBeGreaterThanOrEqual(14);
  expect(shown.filter((s) => { const [p, n] = s.split(' '); return !examples[p!]?.includes(n!); })).toEqual([]);
});

test("every example is shown, with its command, in its package's README", () => {
  const missing: string[] = [];
  for (const [pkg, names] of Object.entries(examples)) {
    const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
    for (const n of names) if (!readme.includes(`pnpm example ${pkg} ${n}`)) missing.push(`${pkg} ${n}`);
  }
  expect(Object.keys(examples).sort()).toEqual(['async-select', 'core', 'event-select', 'iocp', 'overlapped-event', 'overlapped-routine', 'select']);
  expect(missing).toEqual([]);
});

test('pnpm example lists the examples, and answers an unknown package or example with one line and exit code 2', () => {
  const list = run([]);
  expect(list.status).toBe(0);
  for (const [pkg, names] of Object.entries(examples)) expect(list.stdout).toContain(`  ${pkg}: ${names.join(', ')}\n`);
  for (const [args, line] of [
    [['nope', 'echo-server'], 'no package "nope" with examples; one of: async-select, core, event-select, iocp, overlapped-event, overlapped-routine, select\n'],
    [['select', 'nope'], `no example "nope" in select; one of: ${examples.select!.join(', ')}\n`],
    [['select'], `name one of select's examples: ${examples.select!.join(', ')}\n`],
  ] as const) {
    const r = run([...args]);
    expect([r.status, r.stderr]).toEqual([2, line]);
  }
});
