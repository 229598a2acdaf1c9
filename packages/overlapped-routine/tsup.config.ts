import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // core is a dependency, never bundled: one copy of the addon and of its JavaScript state.
  external: [/^@winsock-models\//],
});
