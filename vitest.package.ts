// The one vitest configuration of the packages and apps.
import { defineConfig } from 'vitest/config';

export function testConfig({ testTimeout = 20_000 }: { testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      // Forks keep a native crash in one file from taking the others down.
      pool: 'forks',
      include: ['test/**/*.test.ts'],
      testTimeout,
      // test-results.json feeds the summary line of `pnpm test` (scripts/test-summary.mjs).
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results.json' },
    },
  });
}
