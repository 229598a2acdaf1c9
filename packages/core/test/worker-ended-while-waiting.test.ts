// A worker may end at any moment (issue 14, item 4), whatever it waits in: a pending select, a
// WSAWaitForMultipleEvents, overlapped receives with routines (parked in SleepEx(INFINITE, TRUE)),
// or a blocking recv (which blocks the worker's thread: terminate must still end it). Each case,
// 3 rounds, ended by worker.terminate() and (the asynchronous waits) by process.exit in the worker;
// the process then ends normally. Runs in a child process. Today: a terminated select throws into
// the torn-down realm (std::terminate, 134); a second blocking recv is never ended by terminate
// (the child hangs).
import { expect, test } from 'vitest';
import { expectCleanExit, linesStarting, runFixture } from './fixtures/run-fixture.js';

const cases: Array<[kind: string, end: string]> = [
  ['select', 'terminate'], ['select', 'exit'],
  ['wait-events', 'terminate'], ['wait-events', 'exit'],
  ['overlapped-routine', 'terminate'], ['overlapped-routine', 'exit'],
  ['blocking-recv', 'terminate'],
];

for (const [kind, end] of cases) {
  test(`${kind}, worker ${end === 'exit' ? 'calls process.exit' : 'terminated'}, 3 times`, async () => {
    const run = await runFixture('worker-teardown.mjs', [kind, end, '3']);
    expectCleanExit(run);
    expect(linesStarting(run, 'round ').length, run.report).toBe(3);
    expect(run.lines.slice(-2), run.report).toEqual(['main after', 'done']);
  }, 30_000);
}
