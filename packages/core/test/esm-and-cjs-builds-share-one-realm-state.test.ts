// An ESM program with a CommonJS dependency loads both of core's builds into one realm. They must share
// one set of overlapped state (holds.ts) and one APC runner: an operation issued through either build
// completes, with its routine run, in the other's alertable wait. Runs the built dist/ in a plain node.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/esm-and-cjs-builds.mjs', import.meta.url));

test('overlapped routines and user APCs issued through one build run in the other build\'s SleepEx', () => {
  const out = JSON.parse(execFileSync(process.execPath, [fixture], { encoding: 'utf8' }));
  expect(out.sameNative).toBe(true);
  const completed = { pending: true, slept: 192, got: [0, 3, 'hey'] };  // WAIT_IO_COMPLETION
  expect(out.cjsToEsm).toEqual(completed);
  expect(out.esmToCjs).toEqual(completed);
  expect(out.apcCjsToEsm).toEqual({ slept: 192, ran: ['apc'] });
  expect(out.apcEsmToCjs).toEqual({ slept: 192, ran: ['apc'] });
});
