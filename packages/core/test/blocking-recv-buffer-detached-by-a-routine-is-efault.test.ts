// A blocking recv waits alertably (spec §3.11), so a completion routine can run inside it; one that
// detaches recv's buffer and lets the GC free it must not make recv write into freed memory (issue
// 14, item 2): recv returns SOCKET_ERROR with WSAEFAULT (or puts the data in still-valid memory),
// and canaries allocated after the collection stay clean. Runs in a child process: today's recv
// writes the 64 KiB into the freed block and the process aborts.
import { expect, test } from 'vitest';
import { WSAEFAULT } from '../src/index.js';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

test('the routine run inside the blocking recv detaches its buffer', async () => {
  const run = await runFixture('blocking-recv-routine-detach.mjs');
  expectCleanExit(run);
  expect(run.lines, run.report).toContain('routine ran=1');
  expect(field(run, 'canary', 'hits'), run.report).toBe('0');
  expect(`${field(run, 'result', 'r')} ${field(run, 'result', 'err')}`, run.report).toBe(`-1 ${WSAEFAULT}`);
}, 30_000);
