import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Forks keep a native crash in one file from taking the others down.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
