// The report: a Markdown table per load, a JSON copy, and an SVG chart of each server's rate as a
// ratio to net's under each load — all generated here, no dependencies.
import { PAIRS } from './instructions.js';
import type { Load } from './loads.js';

export interface Cell {
  server: string;
  /** Median over the rounds: round trips/s, or MB/s for streaming (null: no timed rounds). */
  rate: number | null;
  /** rate over net's rate (both medians). */
  ratio: number | null;
  /** The lowest and highest of the rounds' own ratios (a round's rate over net's in that round). */
  ratioRange: [number, number] | null;
  /** Each round's rate, by round index (0-based; a round whose load generator failed is missing). */
  roundRates: { round: number; rate: number }[];
  p50_us: number | null;
  p99_us: number | null;
  /** Server CPU seconds per round trip (or per 64 KiB chunk), median; null off Linux. */
  cpuPerOp: number | null;
  /** Fewest connections still open at the end of a round (below the load's count: the server refused some). */
  alive: number;
  rounds: number;
  /** Fairness: the least-served open connection's round trips over the most-served one's (median). */
  leastOverMost: number | null;
  /** User-space instructions the server ran per message (or 64 KiB chunk), from callgrind; null: not counted. */
  instructionsPerOp: number | null;
  /** System calls and context switches per message (or 64 KiB chunk), every thread of the server, from
   * perf (syscalls.ts); null or absent: not counted. */
  syscallsPerOp?: number | null;
  switchesPerOp?: number | null;
  /** Seconds until every connection had its first echo (median; -1: some never did; null: no rounds). */
  firstServed?: number | null;
}

export interface LoadResult { load: Load; cells: Cell[]; skipped?: string }

export interface RunInfo {
  date: string; machine: string; node: string; rounds: number; seconds: number; warmup: number; quick: boolean;
  /** The commit measured ("+changes": the work tree differed from it); absent in older results. */
  commit?: string | null;
  /** The message counts of the two runs whose difference the instructions are over, by load id
   * (instructions.ts), or null when they were not counted. */
  instructions?: Record<string, { small: number; extra: number }> | null;
  /** Whether system calls and context switches were counted (--syscalls); absent in older results. */
  syscalls?: boolean;
}

const fmtRate = (load: Load, v: number | null) =>
  v === null ? '-' : load.unit === 'MB/s' ? v.toFixed(1) : Math.round(v).toLocaleString('en-US');
const fmtUs = (v: number | null) => (v === null ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(1)} us`);
/** Instructions in thousands: 41.2k. */
const fmtInstr = (v: number | null) => (v === null ? '-' : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e4 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v)));

/** "63/1000 served" when a server kept fewer connections than the load asked for, else null. */
export function served(r: LoadResult, c: Cell): string | null {
  return c.alive < r.load.connections ? `${c.alive}/${r.load.connections} served` : null;
}

function rows(r: LoadResult): string[][] {
  const stream = r.load.mode === 'stream';
  const perOp = stream ? 'CPU/64KiB' : 'CPU/rt';
  const head = ['server', r.load.unit, 'vs net', 'rounds vs net', 'p50', 'p99', `server ${perOp}`,
    'least/most served', `instr/${stream ? '64KiB' : 'msg'}`, `syscalls/${stream ? '64KiB' : 'msg'}`, 'switches'];
  return [head, ...r.cells.map((c) => [
    served(r, c) ? `${c.server} (${served(r, c)})` : c.server,
    fmtRate(r.load, c.rate),
    c.ratio === null ? '-' : `${c.ratio.toFixed(2)}x`,
    c.ratioRange === null ? '-' : `${c.ratioRange[0].toFixed(2)}-${c.ratioRange[1].toFixed(2)}x`,
    fmtUs(c.p50_us),
    fmtUs(c.p99_us),
    c.cpuPerOp === null ? 'n/a' : `${(c.cpuPerOp * 1e6).toFixed(1)} us`,
    c.leastOverMost === null ? '-' : c.leastOverMost.toFixed(2),
    fmtInstr(c.instructionsPerOp),
    c.syscallsPerOp == null ? '-' : c.syscallsPerOp.toFixed(2),
    // The difference of two runs: a count with next to no switches can come out a hair below 0.
    c.switchesPerOp == null ? '-' : Math.max(0, c.switchesPerOp).toFixed(3),
  ])];
}

/**
 * How each server's cost grows from 64 to 1,000 connections, and how fairly it serves them: per
 * server, the instructions per message at 64 and 1,000 and per 64 KiB chunk, the CPU per round trip at
 * 1,000 over its own at 64, and at 1,000 the least/most served ratio and p99 (net's beside it).
 */
function scaling(results: LoadResult[]): string[][] | null {
  const at = (id: string) => results.find((r) => r.load.id === id && !r.skipped);
  const p64 = at('pp64'), p1000 = at('pp1000'), stream = at('stream');
  if (!p64 && !p1000) return null;
  const servers = [...new Set([p64, p1000, stream].flatMap((r) => (r ? r.cells.map((c) => c.server) : [])))];
  const cell = (r: LoadResult | undefined, s: string) => r?.cells.find((c) => c.server === s);
  const head = ['server', 'instr/msg at 64', 'instr/msg at 1,000', 'instr 1,000 vs 64', 'instr/64KiB stream',
    'CPU/rt 1,000 vs 64', 'least/most at 1,000', 'p99 at 1,000', 'all 1,000 served after'];
  const ratio = (a: number | null | undefined, b: number | null | undefined) =>
    a != null && b != null && b > 0 ? `${(a / b).toFixed(2)}x` : '-';
  return [head, ...servers.map((s) => {
    const a = cell(p64, s), b = cell(p1000, s);
    return [s, fmtInstr(a?.instructionsPerOp ?? null), fmtInstr(b?.instructionsPerOp ?? null),
      ratio(b?.instructionsPerOp, a?.instructionsPerOp), fmtInstr(cell(stream, s)?.instructionsPerOp ?? null),
      ratio(b?.cpuPerOp, a?.cpuPerOp), b?.leastOverMost == null ? '-' : b.leastOverMost.toFixed(2), fmtUs(b?.p99_us ?? null),
      b?.firstServed == null ? '-' : b.firstServed < 0 ? 'never' : `${b.firstServed.toFixed(2)} s`];
  })];
}

const mdTable = (t: string[][]) => [
  `| ${t[0]!.join(' | ')} |`, `|${t[0]!.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ...t.slice(1).map((row) => `| ${row.join(' | ')} |`),
];
const textTable = (t: string[][]) => {
  const w = t[0]!.map((_, i) => Math.max(...t.map((row) => row[i]!.length)));
  return t.map((row) => '  ' + row.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
};
const instructionsNote = (info: RunInfo) => info.instructions
  ? `"instr/msg": user-space instructions the server's event-loop thread(s) ran per echoed message (per ` +
    `64 KiB chunk streaming; V8's compiler and GC helper threads excluded), counted by valgrind's callgrind ` +
    `after a long warm-up as the difference between the medians of ${PAIRS} small and ${PAIRS} large runs that ` +
    `differ by ${Object.entries(info.instructions).map(([id, m]) => `${m.extra} (${id})`).join(', ')} messages ` +
    `(instructions.ts): it does not move with the machine's noise, so a change can be judged in one run.`
  : '"instr/msg": not counted in this run (`--instructions`; see instructions.md for the last count).';
const syscallsNote = (info: RunInfo) => info.syscalls
  ? '"syscalls/msg" and "switches": the system calls and context switches of every thread of the server ' +
    'per echoed message (per 64 KiB chunk streaming), counted by perf\'s tracepoints at full speed after the ' +
    'timed rounds, as the difference between a small and a large run of the same connections (syscalls.ts). ' +
    'Two per message (one receive, one send) is the floor; the epoll waits and the switches depend on how ' +
    'many events a wait finds.'
  : '"syscalls/msg", "switches": not counted in this run (`--syscalls`).';

/** One server's count under one load, as instructions.json holds it. */
export interface CountRow {
  server: string; load: string; perOp: number; ops: number; allThreadsPerOp?: number;
  /** When and at which commit this row was counted (a later run may have counted other servers). */
  date?: string; commit?: string | null;
}

/** instructions.md: a --rounds 0 --instructions run's counts, one row per server, one column per load. */
export function instructionsMarkdown(counts: CountRow[], loads: Load[], info: RunInfo): string {
  const servers = [...new Set(counts.map((c) => c.server))];
  const at = (s: string, l: string) => counts.find((c) => c.server === s && c.load === l);
  const head = ['server', ...loads.map((l) => `${l.id}: instr/${l.mode === 'stream' ? '64KiB' : 'msg'}`),
    ...loads.map((l) => `${l.id}: all threads`), 'counted'];
  const when = (s: string) => [...new Set(counts.filter((c) => c.server === s && c.date)
    .map((c) => `${c.date!.slice(0, 10)} ${c.commit ?? ''}`.trim()))].join(', ') || '-';
  const t = [head, ...servers.map((s) => [s, ...loads.map((l) => fmtInstr(at(s, l.id)?.perOp ?? null)),
    ...loads.map((l) => fmtInstr(at(s, l.id)?.allThreadsPerOp ?? null)), when(s)])];
  return ['# Instructions per message', '',
    `Last count ${info.date} · ${info.machine} · Node ${info.node} ("counted": each server's date and commit)`, '',
    instructionsNote(info), '',
    '"all threads": the same over every thread of the process, V8\'s helper threads included: for ' +
      'information only, it moves by tens of percent between counts of the same server (when V8\'s ' +
      'background compiles and GC tasks run is not reproducible under valgrind).', '',
    ...mdTable(t), ''].join('\n');
}

export function markdown(results: LoadResult[], info: RunInfo): string {
  const out = [
    '# Benchmark results',
    '',
    `${info.date} · ${info.machine} · Node ${info.node} · median of ${info.rounds} interleaved round(s) of ` +
      `${info.seconds} s (after ${info.warmup} s warm-up)${info.quick ? ' · **--quick smoke run: not a measurement**' : ''}`,
    '',
    'Load generator: `loadgen/loadgen.c` (C, epoll), one process; each server in its own child process. ' +
      'Latency: from the last byte of a message handed to the kernel to the last byte of its echo read back. ' +
      '"vs net": the median rate over net\'s median rate in the same run; "rounds vs net": the lowest and ' +
      'highest of the rounds\' own ratios (a round\'s rate over net\'s in that round), the spread a single ' +
      'run would show. `c-epoll`: a reference echo ' +
      'server in C (`reference/epoll_echo.c`, one thread, epoll), what the kernel path alone allows on this ' +
      'machine. "least/most served": the round trips of the least-served open connection over the ' +
      'most-served one\'s (1.00: every connection served alike). The measured seconds begin after the ' +
      'warm-up and not before every connection has had its first message echoed ("all served after": when ' +
      'that was, from the first connect), so fairness and latency are the steady state\'s, not the accept ' +
      'backlog\'s. Chart: `results.svg`.',
    '',
    instructionsNote(info),
    '',
    syscallsNote(info),
    '',
  ];
  const s = scaling(results);
  if (s) out.push('## Scaling and fairness', '', ...mdTable(s), '');
  for (const r of results) {
    out.push(`## ${r.load.title}`, '');
    if (r.skipped) { out.push(`Skipped: ${r.skipped}`, ''); continue; }
    out.push(...mdTable(rows(r)), '');
  }
  return out.join('\n');
}

/** The same tables for a terminal. */
export function text(results: LoadResult[], info?: RunInfo): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(r.load.title);
    if (r.skipped) { out.push(`  skipped: ${r.skipped}`, ''); continue; }
    out.push(...textTable(rows(r)), '');
  }
  const s = scaling(results);
  if (s) out.push('Scaling and fairness', ...textTable(s), '');
  if (info) out.push(instructionsNote(info), syscallsNote(info), '');
  return out.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];

/** A grouped bar chart: one group per load, one bar per server, height = rate / net's rate. */
export function svg(results: LoadResult[], info: RunInfo): string {
  const shown = results.filter((r) => !r.skipped && r.cells.length);
  const servers = [...new Set(shown.flatMap((r) => r.cells.map((c) => c.server)))];
  const W = 960, H = 440, left = 60, right = 20, top = 60, bottom = 90;
  const plotW = W - left - right, plotH = H - top - bottom;
  const maxRatio = Math.max(1.5, ...shown.flatMap((r) => r.cells.map((c) => c.ratio ?? 0)));
  const yMax = Math.ceil(maxRatio * 4) / 4;
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const groupW = plotW / Math.max(1, shown.length);
  const barW = Math.min(40, (groupW * 0.8) / Math.max(1, servers.length));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">Echo servers vs Node net (ratio of median rate; higher is better)</text>`,
    `<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(`${info.machine} · Node ${info.node} · ${info.rounds} round(s) x ${info.seconds} s${info.quick ? ' · quick smoke run' : ''}`)}</text>`,
  ];
  for (let v = 0; v <= yMax + 1e-9; v += 0.25) {
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${v.toFixed(2)}x</text>`);
  }
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="#333" stroke-dasharray="4 3"/>`);
  shown.forEach((r, g) => {
    const x0 = left + g * groupW + (groupW - barW * servers.length) / 2;
    for (const c of r.cells) {
      const i = servers.indexOf(c.server);
      const v = c.ratio ?? 0;
      const x = x0 + i * barW;
      const cx = x + (barW - 2) / 2;
      // A server that kept fewer connections than the load asked for served a lighter load: its bar is
      // faded and says how many it served, so its ratio is not read as a like-for-like one.
      const partial = served(r, c);
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(y(0) - y(v)).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"${partial ? ' fill-opacity="0.35" stroke="#c00" stroke-dasharray="3 2"' : ''}>` +
        `<title>${esc(`${c.server}: ${fmtRate(r.load, c.rate)} ${r.load.unit}, ${v.toFixed(2)}x net, p50 ${fmtUs(c.p50_us)}, p99 ${fmtUs(c.p99_us)}${partial ? `, only ${partial}` : ''}`)}</title></rect>`,
        `<text x="${cx.toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${v.toFixed(2)}</text>`);
      if (partial) {
        // Written upwards above the bar, or down inside it when the bar is too tall for that.
        const above = y(v) - 14 - 80 >= top;
        const ty = (above ? y(v) - 14 : y(v) + 6).toFixed(1);
        parts.push(`<text x="${cx.toFixed(1)}" y="${ty}" transform="rotate(-90 ${cx.toFixed(1)} ${ty})" text-anchor="${above ? 'start' : 'end'}" ` +
          `font-size="9" fill="#c00" dominant-baseline="middle">${esc(partial)}</text>`);
      }
    }
    // Two lines under each group (the load, then its detail after the "x"): long titles never collide.
    const cx = (left + g * groupW + groupW / 2).toFixed(1);
    const [head, ...rest] = r.load.title.split(' x ');
    parts.push(`<text x="${cx}" y="${top + plotH + 18}" text-anchor="middle">${esc(head!)}</text>`);
    if (rest.length) parts.push(`<text x="${cx}" y="${top + plotH + 32}" text-anchor="middle">${esc(rest.join(' x '))}</text>`);
  });
  const perRow = Math.max(1, Math.floor(plotW / 150));
  servers.forEach((s, i) => {
    const x = left + (i % perRow) * 150, yy = H - 40 + Math.floor(i / perRow) * 18;
    parts.push(`<rect x="${x}" y="${yy - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`,
      `<text x="${x + 16}" y="${yy}">${esc(s)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
