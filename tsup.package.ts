// The one tsup configuration of the library packages: ESM + CJS + .d.ts for each entry, core never
// bundled (one copy of the addon and of its JavaScript state). A package's examples/*.ts are built
// beside it to runnable JavaScript (dist/examples/<name>.js and .cjs), importing the package by name as
// a user's program does; they ship in the tarball. An example that imports by a relative path
// ('../src/...') cannot run from a tarball and is not built.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

function examples(): Record<string, string> {
  if (!existsSync('examples')) return {};
  return Object.fromEntries(readdirSync('examples').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => !/from '\.\.?\//.test(readFileSync(`examples/${f}`, 'utf8')))
    .map((f) => [`examples/${f.slice(0, -3)}`, `examples/${f}`]));
}

export function packageConfig(entry: string[] = ['src/index.ts']) {
  const main = Object.fromEntries(entry.map((file) => [file.replace(/^src\//, '').replace(/\.ts$/, ''), file]));
  return defineConfig({
    entry: { ...main, ...examples() },
    format: ['esm', 'cjs'],
    dts: { entry: main },
    clean: true,
    target: 'node20',
    external: [/^@winsock-models\//],
  });
}
