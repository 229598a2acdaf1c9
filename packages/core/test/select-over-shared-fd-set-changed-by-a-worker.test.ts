// select reads an fd_set whose memory another thread can change exactly once (issue 14, item 3): an
// fd_set over a SharedArrayBuffer that a worker keeps rewriting (fd_count flipping between small
// counts and ones far past the storage, sockets changing to closed or unknown numbers) while this
// thread calls select in a loop (timeout 0, and now and then a short wait). Every call returns a
// count or SOCKET_ERROR with WSAEFAULT, WSAEINVAL or WSAENOTSOCK; none crashes. Runs in a child
// process. Today's code checks fd_count, then reads it again while gathering: a read past the end
// of the shared memory (ASan: heap-buffer-overflow); a normal build rarely shows it.
import { expect, test } from 'vitest';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

// Under ASan (test:asan) a quarter of the calls: its select loop runs 3-4x slower there, and one racing
// read past the storage is all ASan needs to report it.
const CALLS = process.env.WINSOCK_MODELS_ASAN ? '10000' : '40000';

test('select in a loop over a shared fd_set that a worker keeps changing', async () => {
  const run = await runFixture('shared-memory-changed-by-worker.mjs', ['select', CALLS]);
  expectCleanExit(run);
  expect(field(run, 'calls', 'n'), run.report).toBe(CALLS);
  expect(field(run, 'calls', 'unexpected'), run.report).toBe('0');
}, 30_000);
