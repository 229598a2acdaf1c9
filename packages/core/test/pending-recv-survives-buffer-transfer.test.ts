// A pending overlapped WSARecv keeps its buffer's memory valid whatever the program does to the
// ArrayBuffer (issue 14, item 1): transferred away (structuredClone or postMessage with a transfer
// list) and collected before data arrives, the receive never writes into memory the GC freed, which
// canary arrays allocated afterwards would show. Either the transfer is refused or copies (the
// original stays attached and gets the data), or the request completes with WSAEFAULT and 0 bytes.
// Runs in a child process: today's code corrupts the heap and aborts.
import { expect, test } from 'vitest';
import { WSAEFAULT } from '../src/index.js';
import { expectCleanExit, linesStarting, runFixture } from './fixtures/run-fixture.js';

const ROUNDS = 10;  // a stray write shows as a crash in most single rounds today, not in all

for (const mode of ['event', 'routine']) {
  for (const how of ['clone', 'post']) {
    test(`${mode} mode, buffer transferred by ${how === 'clone' ? 'structuredClone' : 'postMessage'} and collected`, async () => {
      const run = await runFixture('pending-recv-transfer.mjs', [mode, 'buffer', how, String(ROUNDS)]);
      expectCleanExit(run);
      expect(run.lines.at(-1), run.report).toBe('done');
      expect(linesStarting(run, 'canary '), run.report).toEqual(Array(ROUNDS).fill('canary hits=0'));
      const transfers = linesStarting(run, 'transfer ');
      const results = linesStarting(run, 'result ');
      const originals = linesStarting(run, 'original ');
      const routines = linesStarting(run, 'routine ');
      expect(results.length, run.report).toBe(ROUNDS);
      transfers.forEach((transfer, i) => {
        if (transfer === 'transfer detached') {
          expect(results[i], run.report).toBe(`result err=${WSAEFAULT} bytes=0`);
          if (mode === 'routine') expect(routines[i], run.report).toBe(`routine err=${WSAEFAULT} bytes=0`);
        } else {
          expect(transfer, run.report).toMatch(/^transfer refused:/);
          // A stream receive may complete with the first part of the 64 KiB.
          expect(results[i], run.report).toMatch(/^result err=0 bytes=[1-9]/);
          expect(originals[i], run.report).toBe('original has-data=1');
        }
      });
    }, 30_000);
  }
}
