// A worker may end at any moment (issue 14, item 4): one with a pending finite SleepEx(5000),
// alertable or not, that calls process.exit or is terminated (10 rounds). The worker's loop closes
// its timer, and the main thread goes on and ends normally. Runs in a child process: today the
// worker's loop still has the sleep's timer open ("uv loop ... has open handles: timer (active)")
// and the process aborts (134).
import { expect, test } from 'vitest';
import { expectCleanExit, linesStarting, runFixture } from './fixtures/run-fixture.js';

for (const kind of ['sleep-alertable', 'sleep-plain']) {
  for (const end of ['exit', 'terminate']) {
    test(`${kind === 'sleep-alertable' ? 'SleepEx(5000, TRUE)' : 'SleepEx(5000, FALSE)'}, worker ${end === 'exit' ? 'calls process.exit' : 'terminated'}`, async () => {
      const run = await runFixture('worker-teardown.mjs', [kind, end, '10']);
      expectCleanExit(run);
      expect(linesStarting(run, 'round ').length, run.report).toBe(10);
      expect(run.lines.slice(-2), run.report).toEqual(['main after', 'done']);
    }, 30_000);
  }
}
