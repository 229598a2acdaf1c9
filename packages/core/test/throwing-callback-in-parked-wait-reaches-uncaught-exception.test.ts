// One way into JavaScript from the loop (issue 14, item 5): a completion routine or a QueueUserAPC
// function that throws while the thread is parked in an alertable wait (pending before the callback
// was queued) hands its exception to Node, as any callback's: process.on('uncaughtException') sees
// it exactly once, the wait settles (SleepEx and the event waits with WAIT_IO_COMPLETION; select
// goes on by its own criteria, here a byte the handler sends), and the program goes on. Without a
// handler the process ends as Node ends on an uncaught exception (exit code 1 or 7, the error
// printed), never by abort. Runs in a child process: today "terminate called after throwing an
// instance of 'Napi::Error'", 134, and the handler never sees it.
import { expect, test } from 'vitest';
import { WAIT_IO_COMPLETION } from '../src/index.js';
import { expectCleanExit, field, linesStarting, runFixture, ending } from './fixtures/run-fixture.js';

const waits = ['sleep', 'wsa-wait', 'wait-single', 'wait-multiple', 'select'];

for (const wait of waits) {
  for (const source of ['routine', 'apc']) {
    test(`${source === 'apc' ? 'a QueueUserAPC function' : 'a completion routine'} throws inside a parked ${wait}`, async () => {
      const run = await runFixture('throwing-callback-in-parked-wait.mjs', [wait, source, 'handler']);
      expectCleanExit(run);
      expect(linesStarting(run, 'caught '), run.report).toEqual(['caught boom from the callback']);
      expect(field(run, 'wait', 'result'), run.report).toBe(wait === 'select' ? '1' : String(WAIT_IO_COMPLETION));
      expect(run.lines.slice(-2), run.report).toEqual(['after', 'done']);
    }, 30_000);
  }
}

for (const wait of waits) {
  test(`without an uncaughtException handler, a throwing APC inside a parked ${wait} ends the process as Node does`, async () => {
    const run = await runFixture('throwing-callback-in-parked-wait.mjs', [wait, 'apc', 'none']);
    const how = ending(run);
    expect({ signal: how.signal, timedOut: how.timedOut }, run.report).toEqual({ signal: null, timedOut: false });
    expect([1, 7], run.report).toContain(how.code);
    expect(run.stderr, run.report).toContain('boom from the callback');
    expect(run.stderr, run.report).not.toContain('terminate called');
  }, 30_000);
}
