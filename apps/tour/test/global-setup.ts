// Runs the whole tour once for every test file of this package (it takes a while): JSON on stdout,
// the text report of three models, and the HTML page, into a temporary directory that the tests read.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs script (no types), shared with anyone who runs it by hand
import { ensureChromium } from '../scripts/ensure-chromium.mjs';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    tour: { dir: string; json: string; html: string; text: string };
  }
}

export default function setup(project: TestProject) {
  ensureChromium();
  const dir = mkdtempSync(join(tmpdir(), 'tour-test-'));
  const html = join(dir, 'tour.html');
  const json = execFileSync(process.execPath, [main, '--json', '--html', html], { encoding: 'utf8', timeout: 120_000 });
  writeFileSync(join(dir, 'tour.json'), json);
  const text = spawnSync(process.execPath, [main, '--models', 'select,event-select-groups,iocp'], { encoding: 'utf8', timeout: 60_000 });
  if (text.status !== 0) throw new Error(`the tour's text run failed: ${text.stderr}`);
  project.provide('tour', { dir, json: join(dir, 'tour.json'), html, text: text.stdout });
  return () => rmSync(dir, { recursive: true, force: true });
}
