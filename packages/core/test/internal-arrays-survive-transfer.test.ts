// The arrays native code and TypeScript share (last error, the overlapped engine's result, arguments
// and retired slots, the APC ring, the completion port's result and arguments, a trace ring) are
// reachable through core/internal, so a program can transfer their buffers away. Native code writes
// them through pointers it keeps, so their memory is native's (realm_memory.h): a transfer copies (the
// original stays attached), nothing native writes lands in memory the GC freed, and every call still
// reports what it did. Runs in a child process: before, the views were JavaScript memory, a transfer
// detached them, native code wrote into freed memory, and the child ran away or aborted.
import { expect, test } from 'vitest';
import { WSAENOTSOCK } from '../src/index.js';
import { expectCleanExit, linesStarting, runFixture } from './fixtures/run-fixture.js';

const SHARED = ['lastError', 'overlappedResult', 'overlappedArgs', 'overlappedRetired', 'apcRing', 'apcControl',
  'iocpResult', 'iocpArgs', 'traceRing', 'traceControl'];
const WAIT_IO_COMPLETION = 0xc0;

for (const how of ['clone', 'post']) {
  test(`shared arrays transferred by ${how === 'clone' ? 'structuredClone' : 'postMessage'} stay attached and keep working`, async () => {
    const run = await runFixture('internal-arrays-transfer.mjs', [how]);
    expectCleanExit(run);
    expect(run.lines.at(-1), run.report).toBe('done');
    expect(linesStarting(run, 'transfer '), run.report).toEqual(SHARED.map((name) => `transfer ${name} refused:copied`));
    expect(linesStarting(run, 'lasterror '), run.report).toEqual([`lasterror ${WSAENOTSOCK}`]);
    expect(linesStarting(run, 'recv '), run.report).toEqual(['recv r=0 bytes=5 data=1']);
    expect(linesStarting(run, 'apc '), run.report).toEqual([`apc ran=1 slept=${WAIT_IO_COMPLETION}`]);
    expect(linesStarting(run, 'iocp '), run.report).toEqual(['iocp waited=in-call']);
    expect(linesStarting(run, 'canary '), run.report).toEqual(['canary hits=0']);
  }, 60_000);
}
