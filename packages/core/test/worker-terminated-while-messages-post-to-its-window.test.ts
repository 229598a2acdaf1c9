// A worker may be terminated at any moment (issue 14, item 4): one that owns a window (registered
// as @winsock-models/async-select's windows are, with the realm's message poster) while the main
// thread keeps posting messages to it. 20 rounds, each ended by worker.terminate() (and by
// process.exit in the worker); no FATAL ERROR, the process ends normally. Runs in a child process:
// today the poster is called into the terminating realm ("FATAL ERROR: Error::Error
// napi_define_properties", 134).
import { expect, test } from 'vitest';
import { expectCleanExit, linesStarting, runFixture } from './fixtures/run-fixture.js';

for (const end of ['terminate', 'exit']) {
  test(`messages posted to a worker's window, worker ${end === 'exit' ? 'calls process.exit' : 'terminated'}, 20 times`, async () => {
    const run = await runFixture('worker-teardown.mjs', ['post-window', end, '20']);
    expectCleanExit(run);
    expect(linesStarting(run, 'round ').length, run.report).toBe(20);
    expect(run.lines.slice(-2), run.report).toEqual(['main after', 'done']);
  }, 30_000);
}
