// The READMEs' benchmark tables are written from apps/bench/results by scripts/readme-figures.mjs, never
// by hand: a README whose block differs from what the committed results give fails here.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const script = fileURLToPath(new URL('../scripts/readme-figures.mjs', import.meta.url));

test('every README figure block is what the committed results give', () => {
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
