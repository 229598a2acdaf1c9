import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/bench.ts', 'src/net-cluster.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: [/^@winsock-models\//],
});
