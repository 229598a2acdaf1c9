// --syscalls: a server's system calls and context switches per echoed message, from perf's counts of a
// small and a large run. perf's CSV is read by event name; the report shows the two figures per server;
// and against a real `net` server the count is at least the receive and the send every message needs.
// That last test needs perf's tracepoints (Debian's linux-perf, installed here if missing, and root).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { LOADS } from '../src/loads.js';
import { markdown, type LoadResult, type RunInfo } from '../src/report.js';
import { countSyscalls, parsePerfCsv, syscallsUnavailable } from '../src/syscalls.js';

const hasPerf = () => spawnSync('perf', ['--version'], { stdio: 'ignore' }).status === 0;
const aptEnsure = fileURLToPath(new URL('../../../scripts/apt-ensure.mjs', import.meta.url));
if (!hasPerf() && process.getuid?.() === 0) execFileSync(process.execPath, [aptEnsure, 'linux-perf'], { stdio: 'inherit' });
const unavailable = syscallsUnavailable();

test('perf stat\'s CSV is read by event name, and an event it could not count is not a number', () => {
  const counts = parsePerfCsv([
    '',
    'Events disabled',
    'Events enabled',
    '45176,,raw_syscalls:sys_enter,30853920,100.00,,',
    '<not counted>,,context-switches,0,100.00,,',
    '12,,page-faults,30853920,100.00,,',
  ].join('\n'));
  expect(counts.get('raw_syscalls:sys_enter')).toBe(45176);
  expect(counts.get('context-switches')).toBeNaN();
  expect(counts.has('page-faults')).toBe(false);
});

test('the report shows each server\'s system calls and context switches per message, and "-" where not counted', () => {
  const load = LOADS.find((l) => l.id === 'pp64')!;
  const cell = (server: string, syscallsPerOp: number | null, switchesPerOp: number | null) => ({
    server, rate: 1000, ratio: 1, ratioRange: [1, 1] as [number, number], roundRates: [{ round: 0, rate: 1000 }],
    p50_us: 1, p99_us: 2, cpuPerOp: 1e-5, alive: 64, rounds: 1, leastOverMost: 1, instructionsPerOp: null,
    syscallsPerOp, switchesPerOp,
  });
  const results: LoadResult[] = [{ load, cells: [cell('net', 2.0213, 0.0052), cell('select', null, null)] }];
  const info: RunInfo = { date: '2026-01-01T00:00:00Z', machine: 'test', node: '20', rounds: 1, seconds: 1, warmup: 0,
    quick: false, syscalls: true };
  const lines = markdown(results, info).split('\n');
  const at = lines.findIndex((l) => l.startsWith('| server | round trips/s'));  // the 64-connection table
  const header = lines[at]!.split('|').map((c) => c.trim());
  const row = (server: string) => lines.slice(at).find((l) => l.startsWith(`| ${server} |`))!.split('|').map((c) => c.trim());
  expect(row('net')[header.indexOf('syscalls/msg')]).toBe('2.02');
  expect(row('net')[header.indexOf('switches')]).toBe('0.005');
  expect(row('select')[header.indexOf('syscalls/msg')]).toBe('-');
  expect(lines.some((l) => l.startsWith('"syscalls/msg" and "switches": the system calls'))).toBe(true);
});

test.skipIf(unavailable !== null)('net makes at least a receive and a send per echoed message, counted over 20,000 messages', async () => {
  const loads = LOADS.filter((l) => l.id === 'pp64');
  const lines: string[] = [];
  const counts = await countSyscalls('net', loads, (line) => lines.push(line));
  const c = counts.get('pp64');
  expect(c, lines.join('\n')).toBeDefined();
  expect(c!.syscallsPerOp).toBeGreaterThanOrEqual(1.95);  // read + write, and some epoll waits
  expect(c!.syscallsPerOp).toBeLessThan(4);
  // A difference of two runs: next to no switches can come out a hair below 0.
  expect(Number.isFinite(c!.switchesPerOp)).toBe(true);
  // About 20,000 messages: a run's last messages still in flight when it stops are not counted.
  expect(lines[0]).toMatch(/^net pp64: [\d.]+ system calls and -?[\d.]+ context switches per message, over (19|20)\d{3} messages/);
}, 120_000);
