// Two different copies of core in one process would mean two addons, two socket tables and two APC
// queues: a socket made through one is WSAENOTSOCK to the other. The second copy refuses to load, naming
// both paths and how to dedupe; the ESM and CommonJS builds of one copy still load together.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'winsock-two-cores-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the built package, as an install would lay it out: node_modules/@winsock-models/core. */
function copyAt(name: string): string {
  const root = join(work, name, 'node_modules', '@winsock-models', 'core');
  for (const entry of ['package.json', 'dist', 'build/Release/winsock_core.node']) {
    cpSync(join(pkg, entry), join(root, entry), { recursive: true });
  }
  const gypBuild = dirname(createRequire(join(pkg, 'package.json')).resolve('node-gyp-build/package.json'));
  mkdirSync(join(work, name, 'node_modules', 'node-gyp-build'), { recursive: true });
  rmSync(join(work, name, 'node_modules', 'node-gyp-build'), { recursive: true });
  symlinkSync(gypBuild, join(work, name, 'node_modules', 'node-gyp-build'));
  return realpathSync(root);
}

function run(script: string): { status: number; stdout: string; stderr: string } {
  try {
    return { status: 0, stdout: execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

const a = copyAt('a');
const b = copyAt('b');

test('loading a second, different copy throws an error naming both paths and how to dedupe', () => {
  const r = run(`
    await import(${JSON.stringify(join(a, 'dist', 'index.js'))});
    try { await import(${JSON.stringify(join(b, 'dist', 'index.js'))}); console.log('SECOND COPY LOADED'); }
    catch (err) { console.log(err.message); }`);
  expect(r.status).toBe(0);
  expect(r.stdout).not.toContain('SECOND COPY LOADED');
  expect(r.stdout).toContain('two different copies');
  expect(r.stdout).toContain(`first:  ${a} (`);
  expect(r.stdout).toContain(`second: ${b} (`);
  expect(r.stdout).toContain('dedupe');
});

test('the CommonJS build of a second copy is refused too', () => {
  const r = run(`
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(join(a, 'dist', 'index.js'))});
    try { createRequire(import.meta.url)(${JSON.stringify(join(b, 'dist', 'index.cjs'))}); console.log('SECOND COPY LOADED'); }
    catch (err) { console.log(err.message); }`);
  expect(r.stdout).not.toContain('SECOND COPY LOADED');
  expect(r.stdout).toContain(`second: ${b} (`);
});

test('the ESM and CommonJS builds of one copy load together and share the addon', () => {
  const r = run(`
    import { createRequire } from 'node:module';
    const esm = await import(${JSON.stringify(join(a, 'dist', 'internal.js'))});
    const cjs = createRequire(import.meta.url)(${JSON.stringify(join(a, 'dist', 'internal.cjs'))});
    console.log(esm.addonExports === cjs.addonExports ? 'shared' : 'two');`);
  expect(r.stdout.trim()).toBe('shared');
});
