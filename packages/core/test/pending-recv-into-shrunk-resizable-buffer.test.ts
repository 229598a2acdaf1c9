// A pending overlapped WSARecv into a resizable ArrayBuffer that the program shrinks with resize()
// before data arrives (issue 14, item 1): no crash, and either WSAEFAULT with 0 bytes or data
// confined to the buffer's live length. Runs in a child process.
import { expect, test } from 'vitest';
import { WSAEFAULT } from '../src/index.js';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

for (const mode of ['event', 'routine']) {
  for (const view of ['fixed', 'tracking']) {
    test(`${mode} mode, a ${view === 'fixed' ? 'fixed-length' : 'length-tracking'} view, buffer shrunk while pending`, async () => {
      const run = await runFixture('pending-recv-resize.mjs', [mode, view]);
      expectCleanExit(run);
      expect(run.lines, run.report).toContain('done');
      const err = Number(field(run, 'result', 'err'));
      const bytes = Number(field(run, 'result', 'bytes'));
      const live = Number(field(run, 'result', 'live'));
      if (err === WSAEFAULT) expect(bytes, run.report).toBe(0);
      else {
        expect(err, run.report).toBe(0);
        expect(bytes, run.report).toBeLessThanOrEqual(live);
      }
    }, 30_000);
  }
}
