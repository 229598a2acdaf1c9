// src/errors.generated.ts and src/constants.generated.ts are written from the native lists; a stale
// one would give TypeScript different numbers than C++ compiled.
import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the generated TypeScript tables match errors.def and constants.def', () => {
  const script = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
