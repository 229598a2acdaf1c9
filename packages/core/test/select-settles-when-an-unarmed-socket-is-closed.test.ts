// select settles when any socket in any of its sets is closed while it waits, armed or not (issue
// 14, item 6; spec §3.1 "Socket closed while select is blocked"): a socket only in exceptfds fails
// the call with WSAENOTSOCK and the set no longer holds it (Windows takes a closed handle out of the
// sets: issue 15, item 3); one in readfds is reported readable; a listener in writefds fails with
// WSAENOTSOCK (taken out too) or is reported ready. Runs in a child process with a hard timeout:
// today select never settles for a socket it had nothing to arm for (the child hangs).
import { expect, test } from 'vitest';
import { WSAENOTSOCK } from '../src/index.js';
import { expectCleanExit, field, runFixture } from './fixtures/run-fixture.js';

const notsock = `r=-1 err=${WSAENOTSOCK} count=0`;
const cases: Array<[which: string, what: string, expected: string[]]> = [
  ['udp-except', 'a UDP socket only in exceptfds', [notsock]],
  ['listener-except', 'a listener only in exceptfds', [notsock]],
  ['listener-write', 'a listener in writefds', [notsock, 'r=1 err=0 count=1']],
  ['unconnected-read', 'an unconnected TCP socket in readfds', ['r=1 err=0 count=1']],
];

for (const [which, what, expected] of cases) {
  test(`${what}, closed while select waits`, async () => {
    const run = await runFixture('select-closed-socket.mjs', [which]);
    expectCleanExit(run);
    expect(run.lines[0], run.report).toBe('closed');
    const result = run.lines.find((l) => l.startsWith('result '));
    expect(expected, run.report).toContain(result?.slice('result '.length));
    expect(run.lines.at(-1), run.report).toBe('done');
  }, 30_000);
}
