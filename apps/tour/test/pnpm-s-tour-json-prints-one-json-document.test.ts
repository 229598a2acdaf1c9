// `pnpm -s tour -- --json` from the repository root: stdout is exactly one JSON document (the build
// step's output goes to stderr), as a machine reading it expects.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// The root script builds first (turbo, cached when `pnpm test` has built): allow for a cold build.
test('stdout parses as one JSON document with the report', { timeout: 300_000 }, () => {
  const r = spawnSync('pnpm', ['-s', 'tour', '--', '--json', '--models', 'net'], { cwd: root, encoding: 'utf8', timeout: 290_000 });
  expect(r.status).toBe(0);
  expect(r.stdout.trimStart().startsWith('{')).toBe(true);
  const doc = JSON.parse(r.stdout) as { models: string[]; reports: Array<{ model: string; ok: boolean }> };
  expect(doc.models).toEqual(['net']);
  expect(doc.reports.map((x) => [x.model, x.ok])).toEqual([['net', true]]);
});
