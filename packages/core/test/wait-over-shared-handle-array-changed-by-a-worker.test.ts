// WSAWaitForMultipleEvents reads a handle array that another thread can change exactly once (issue
// 14, item 3): lphEvents a Float64Array (or Int32Array) over a SharedArrayBuffer that a worker keeps
// switching between valid events and invalid handles, while this thread waits in a loop (timeout 0,
// and every 8th call a short wait that parks). Every call gives WSA_WAIT_* or WSA_WAIT_FAILED with
// WSA_INVALID_HANDLE (or WSA_INVALID_PARAMETER for a wait-all over a repeated event); none crashes.
// Runs in a child process. Today's code compares the array with its cache, then reads it again to
// park: a handle changed in between is looked up as null and dereferenced (SIGSEGV). That needs the
// change to land in a short window, so three children run (each crashes in about 2 of 3 runs today).
import { expect, test } from 'vitest';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

for (const type of ['f64', 'i32']) {
  test(`waits over a shared ${type === 'f64' ? 'Float64Array' : 'Int32Array'} that a worker keeps changing`, async () => {
    for (let child = 0; child < 3; child++) {
      const run = await runFixture('shared-memory-changed-by-worker.mjs', [`wait-${type}`, '20000']);
      expectCleanExit(run);
      expect(field(run, 'calls', 'n'), run.report).toBe('20000');
      expect(field(run, 'calls', 'unexpected'), run.report).toBe('0');
    }
  }, 70_000);
}
