import { defineConfig } from 'tsup';

export default defineConfig({
  // main.ts installs the call counter before tour.ts (and the packages) load; the worker is its own file.
  entry: ['src/main.ts', 'src/tour.ts', 'src/client-worker.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: [/^@winsock-models\//],
});
