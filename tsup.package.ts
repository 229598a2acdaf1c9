// The one tsup configuration of the library packages: ESM + CJS + .d.ts for each entry, core never
// bundled (one copy of the addon and of its JavaScript state).
import { defineConfig } from 'tsup';

export function packageConfig(entry: string[] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: [/^@winsock-models\//],
  });
}
