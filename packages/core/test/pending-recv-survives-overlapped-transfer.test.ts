// A pending overlapped WSARecv keeps its WSAOVERLAPPED's memory valid (issue 14, item 1): the
// structure's ArrayBuffer (memoryOf(ov).buffer) transferred away and collected before data arrives,
// the completion never writes its result (Internal, InternalHigh, Offset) into freed memory.
// Either the transfer is refused (the result lands in the structure, as usual), or the structure is
// detached and nothing is written anywhere (canaries of its size stay zero). Runs in a child process:
// today's code corrupts malloc's lists ("unaligned tcache chunk", SIGSEGV, abort).
import { expect, test } from 'vitest';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

for (const mode of ['event', 'routine']) {
  for (const how of ['clone', 'post']) {
    test(`${mode} mode, WSAOVERLAPPED memory transferred by ${how === 'clone' ? 'structuredClone' : 'postMessage'} and collected`, async () => {
      const run = await runFixture('pending-recv-transfer.mjs', [mode, 'overlapped', how]);
      expectCleanExit(run);
      expect(run.lines, run.report).toContain('done');
      expect(field(run, 'canary', 'hits'), run.report).toBe('0');
      const transfer = run.lines.find((l) => l.startsWith('transfer '));
      if (transfer !== 'transfer detached') {
        expect(transfer, run.report).toMatch(/^transfer refused:/);
        expect(field(run, 'result', 'err'), run.report).toBe('0');
      }
    }, 30_000);
  }
}
