// The instruction count sums the server's event-loop threads only (its main thread, a worker_threads
// Worker): V8's helper threads, whose timing under valgrind is not reproducible, are left out. A dump
// is one file per thread; it is read only once every file of it is complete. No valgrind runs here.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { takeDump } from '../src/instructions.js';
import { LOADS } from '../src/loads.js';
import { instructionsMarkdown, type RunInfo } from '../src/report.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

// A callgrind dump file of one thread (--compress-strings=no), as much of it as takeDump reads.
const dumpFile = (fns: string[], total: number, complete = true) =>
  ['# callgrind format', 'events: Ir', ...fns.flatMap((f) => [`fn=${f}`, '0 10']), ...(complete ? [`totals: ${total}`] : [])].join('\n') + '\n';

test('a dump counts the threads that ran libuv\'s loop as event-loop threads, the others not, and is removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dump-test-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'base.7.1-01'), dumpFile(['uv_run', 'uv__io_poll', 'Builtins_CallApiCallback'], 5000));
  writeFileSync(join(dir, 'base.7.1-02'), dumpFile(['v8::internal::compiler::PipelineImpl::OptimizeGraph'], 90_000));
  writeFileSync(join(dir, 'base.7.1-09'), dumpFile(['(12) uv__io_poll'], 700));
  writeFileSync(join(dir, 'base.7'), dumpFile(['uv_run'], 1));  // the exit's dump: not a numbered one
  const threads = await takeDump(dir);
  expect(threads).toEqual([
    { thread: 1, ir: 5000, eventLoop: true },
    { thread: 2, ir: 90_000, eventLoop: false },
    { thread: 9, ir: 700, eventLoop: true },
  ]);
  expect(readdirSync(dir)).toEqual(['base.7']);
});

test('instructions.md has one row per server, the event-loop figure and the all-threads one per load', () => {
  const loads = LOADS.filter((l) => l.id === 'pp64' || l.id === 'pp1000');
  const info: RunInfo = { date: '2026-01-01T00:00:00Z', machine: 'test', node: '20', rounds: 0, seconds: 1, warmup: 0,
    quick: false, commit: 'abc1234', instructions: { pp64: { small: 2000, extra: 20_000 } } };
  const md = instructionsMarkdown([
    { server: 'select', load: 'pp64', perOp: 7143, ops: 20_000, allThreadsPerOp: 12_337, date: '2026-01-01T00:00:00Z', commit: 'abc1234' },
    { server: 'c-epoll', load: 'pp64', perOp: 68.4, ops: 20_000, allThreadsPerOp: 68.4 },
    { server: 'c-epoll', load: 'pp1000', perOp: 71, ops: 20_000, allThreadsPerOp: 71 },
  ], loads, info);
  expect(md).toContain('| select | 7143 | - | 12.3k | - | 2026-01-01 abc1234 |');
  expect(md).toContain('| c-epoll | 68 | 71 | 68 | 71 | - |');
});
