// The one vitest configuration of the packages and apps.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export function testConfig({ testTimeout = 20_000 }: { testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      // Forks keep a native crash in one file from taking the others down.
      pool: 'forks',
      // A file per CPU at once. vitest's default (CPUs - 1) runs one file at a time on a 2-core
      // machine, while most files wait on sockets, timers and child processes: core's suite took
      // 95 s that way and 51 s two at a time (193 s and 100 s under ASan), which CI's 15 minutes need.
      maxWorkers: availableParallelism(),
      include: ['test/**/*.test.ts'],
      testTimeout,
      // test-results.json feeds the summary line of `pnpm test` (scripts/test-summary.mjs).
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results.json' },
    },
  });
}
