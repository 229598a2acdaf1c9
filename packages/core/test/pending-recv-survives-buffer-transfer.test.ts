// A pending overlapped WSARecv keeps its buffer's memory valid whatever the program does to the
// ArrayBuffer (issue 14, item 1): transferred away (structuredClone or postMessage with a transfer
// list) and collected before data arrives, the receive never writes into memory the GC freed, which
// canary arrays allocated afterwards would show. Either the transfer is refused or copies (the
// original stays attached and gets the data), or the request completes with WSAEFAULT and 0 bytes.
// Runs in a child process: today's code corrupts the heap and aborts.
import { expect, test } from 'vitest';
import { WSAEFAULT } from '../src/index.js';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

const SIZE = 64 * 1024;

for (const mode of ['event', 'routine']) {
  for (const how of ['clone', 'post']) {
    test(`${mode} mode, buffer transferred by ${how === 'clone' ? 'structuredClone' : 'postMessage'} and collected`, async () => {
      const run = await runFixture('pending-recv-transfer.mjs', [mode, 'buffer', how]);
      expectCleanExit(run);
      expect(run.lines, run.report).toContain('done');
      expect(field(run, 'canary', 'hits'), run.report).toBe('0');
      const transfer = run.lines.find((l) => l.startsWith('transfer '));
      if (transfer === 'transfer detached') {
        expect(field(run, 'result', 'err'), run.report).toBe(String(WSAEFAULT));
        expect(field(run, 'result', 'bytes'), run.report).toBe('0');
        if (mode === 'routine') expect(field(run, 'routine', 'err'), run.report).toBe(String(WSAEFAULT));
      } else {
        expect(transfer, run.report).toMatch(/^transfer refused:/);
        expect(field(run, 'result', 'err'), run.report).toBe('0');
        expect(field(run, 'result', 'bytes'), run.report).toBe(String(SIZE));
        expect(field(run, 'original', 'has-data'), run.report).toBe('1');
      }
    }, 30_000);
  }
}
