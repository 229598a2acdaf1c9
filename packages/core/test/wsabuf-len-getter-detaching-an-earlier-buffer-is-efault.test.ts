// A call reads all its JavaScript arguments before it takes a pointer (issue 14, item 2): a WSABUF
// array whose second len is a getter that detaches the first buffer (and lets the GC free it) gives
// WSAEFAULT, or a clean outcome: a send delivers only the program's bytes, never freed memory's; a
// receive writes nowhere but live buffers (canaries allocated in the getter stay clean).
// Runs in a child process: today's code sends freed memory and receives into it (heap corruption).
import { expect, test } from 'vitest';
import { WSAEFAULT } from '../src/index.js';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

for (const call of ['send', 'recv', 'overlapped-send', 'overlapped-recv']) {
  test(`${call}: the getter detaches lpBuffers[0]`, async () => {
    const run = await runFixture('wsabuf-getter-detach.mjs', [call]);
    expectCleanExit(run);
    expect(run.lines, run.report).toContain('done');
    const refused = field(run, 'result', 'r') === '-1' && field(run, 'result', 'err') === String(WSAEFAULT);
    if (call.endsWith('send')) {
      if (refused) expect(field(run, 'peer', 'bytes'), run.report).toBe('0');
      else expect(field(run, 'peer', 'match'), run.report).toBe('1');
    } else {
      expect(field(run, 'canary', 'hits'), run.report).toBe('0');
    }
    if (!refused) expect(field(run, 'result', 'r'), run.report).toBe('0');
  }, 30_000);
}
