// A server that kept fewer connections than a load asked for is marked "63/1000 served" in the tables
// and on its chart bar (faded, dashed outline, the count written beside it), so its ratio is not read
// as a like-for-like one.
import { expect, test } from 'vitest';
import { LOADS } from '../src/loads.js';
import { markdown, svg, text, type Cell, type LoadResult, type RunInfo } from '../src/report.js';

const load = LOADS.find((l) => l.connections === 1000)!;
const cell = (server: string, alive: number, ratio: number): Cell => ({
  server, rate: 100_000 * ratio, ratio, ratioRange: [ratio, ratio], roundRates: [{ round: 0, rate: 100_000 * ratio }],
  p50_us: 100, p99_us: 200, cpuPerOp: null, alive, rounds: 1, leastOverMost: 1, instructionsPerOp: null,
});
const results: LoadResult[] = [{ load, cells: [cell('net', 1000, 1), cell('event-select', 63, 1.73), cell('select', 1000, 1.2)] }];
const info: RunInfo = { date: '2026-01-01T00:00:00Z', machine: 'test', node: '20', rounds: 1, seconds: 1, warmup: 0, quick: false };

test('the Markdown and text tables say "63/1000 served" for that server only', () => {
  for (const out of [markdown(results, info), text(results)]) {
    expect(out.match(/\d+\/\d+ served/g)).toHaveLength(1);
    expect(out).toContain('event-select (63/1000 served)');
  }
});

test('the chart draws that bar faded with a dashed outline and writes "63/1000 served" beside it', () => {
  const chart = svg(results, info);
  expect(chart.match(/fill-opacity="0\.35" stroke="#c00"/g)).toHaveLength(1);
  expect(chart).toMatch(/<title>event-select: [^<]*, only 63\/1000 served<\/title>/);
  expect(chart.match(/>63\/1000 served<\/text>/g)).toHaveLength(1);
});
