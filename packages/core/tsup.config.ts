import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/internal.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // Gives the CommonJS build import.meta.url, which binding.ts uses to find the addon.
  shims: true,
  target: 'node20',
});
