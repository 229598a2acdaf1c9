// A worker may end at any moment (issue 14, item 4), whatever it waits in: a pending select, a
// WSAWaitForMultipleEvents, overlapped receives with routines (parked in SleepEx(INFINITE, TRUE)),
// or a blocking recv (which blocks the worker's thread: terminate must still end it). Each case runs
// several rounds, ended by worker.terminate() and (the asynchronous waits) by process.exit in the
// worker, with nothing under way or with the wait's ending under way (its event just set, its
// socket just given data); the process then ends normally. Runs in a child process. Today: a
// terminated select throws into the torn-down realm (std::terminate, 134), and so do routines whose
// receives complete as the worker exits; terminate often never ends a blocking recv (the child
// hangs, in most runs of 10 rounds). The other cases survive today; they are here so that the one
// teardown keeps them so.
import { expect, test } from 'vitest';
import { expectCleanExit, linesStarting, runFixture } from './fixtures/run-fixture.js';

const cases: Array<[kind: string, end: string, moment: string]> = [];
for (const kind of ['select', 'wait-events', 'overlapped-routine'])
  for (const end of ['terminate', 'exit'])
    for (const moment of ['idle', 'under-way']) cases.push([kind, end, moment]);
cases.push(['blocking-recv', 'terminate', 'idle']);
const rounds = (kind: string): number => (kind === 'blocking-recv' ? 10 : 5);

for (const [kind, end, moment] of cases) {
  test(`${kind}, ${moment === 'idle' ? 'nothing under way' : 'its ending under way'}, worker ${end === 'exit' ? 'calls process.exit' : 'terminated'}, ${rounds(kind)} times`, async () => {
    const run = await runFixture('worker-teardown.mjs', [kind, end, String(rounds(kind)), moment]);
    expectCleanExit(run);
    expect(linesStarting(run, 'round ').length, run.report).toBe(rounds(kind));
    expect(run.lines.slice(-2), run.report).toEqual(['main after', 'done']);
  }, 30_000);
}
