// Writes the benchmark figures into the model packages' READMEs (and this package's), between
// `<!-- bench-figures:begin -->` and `<!-- bench-figures:end -->`, from the committed results: the
// timed run (results/results.json) and the instruction counts (results/instructions.json). The READMEs
// then never restate a figure by hand. `--check` changes nothing and exits 1 when a block differs from
// what the results give (a test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bench = join(here, '..');
const root = join(bench, '..', '..');
const results = JSON.parse(readFileSync(join(bench, 'results', 'results.json'), 'utf8'));
const instructions = JSON.parse(readFileSync(join(bench, 'results', 'instructions.json'), 'utf8'));

/** Each README and the servers its table shows (net and c-epoll are added to every table). */
const readmes = [
  ['packages/select/README.md', ['select']],
  ['packages/async-select/README.md', ['async-select']],
  ['packages/event-select/README.md', ['event-select', 'event-select-groups']],
  ['packages/overlapped-event/README.md', ['overlapped-event']],
  ['packages/overlapped-routine/README.md', ['overlapped-routine']],
  ['packages/iocp/README.md', ['iocp-1w', 'iocp-2w', 'net-cluster']],
  ['apps/bench/README.md', null],  // every server
];

const BEGIN = '<!-- bench-figures:begin -->';
const END = '<!-- bench-figures:end -->';

const cell = (load, server) => results.results.find((r) => r.load.id === load)?.cells.find((c) => c.server === server);
const count = (load, server) => instructions.counts.find((c) => c.load === load && c.server === server);

const times = (x) => `${x.toFixed(2)}×`;
const ratioToNet = (load, server) => {
  const c = cell(load, server);
  if (!c) return '–';
  const served = c.alive < (results.results.find((r) => r.load.id === load)?.load.connections ?? 0) ? ` (${c.alive} served)` : '';
  return `${times(c.ratio)} (${c.ratioRange[0].toFixed(2)}–${c.ratioRange[1].toFixed(2)})${served}`;
};
const ratioToCeiling = (load, server) => {
  const c = cell(load, server), ceiling = cell(load, 'c-epoll');
  return c && ceiling ? times(c.rate / ceiling.rate) : '–';
};
const micros = (seconds) => `${(seconds * 1e6).toFixed(1)} µs`;
const cpu = (server) => {
  const a = cell('pp64', server), b = cell('pp1000', server);
  if (!a) return '–';
  return b ? `${micros(a.cpuPerOp)} → ${micros(b.cpuPerOp)}` : micros(a.cpuPerOp);
};
const p99 = (load, server) => {
  const c = cell(load, server);
  return c ? `${(c.p99_us / 1000).toFixed(1)} ms` : '–';
};
const fairness = (load, server) => {
  const c = cell(load, server);
  return c && typeof c.leastOverMost === 'number' ? c.leastOverMost.toFixed(2) : '–';
};
const instr = (load, server) => {
  const c = count(load, server);
  if (!c) return '–';
  return c.perOp >= 1000 ? `${(c.perOp / 1000).toFixed(1)}k` : String(Math.round(c.perOp));
};

/** System calls per message at a load (every thread of the server, perf), when the run counted them. */
const syscalls = (load, server) => {
  const c = cell(load, server);
  return c && typeof c.syscallsPerOp === 'number' ? c.syscallsPerOp.toFixed(2) : '–';
};

const allServers = () => [...new Set(results.results.flatMap((r) => r.cells.map((c) => c.server)))];

function block(servers) {
  const shown = servers === null ? allServers() : [...servers, 'net', 'c-epoll'];
  const rows = shown.map((s) => {
    const name = servers !== null && servers.includes(s) ? `**${s}**` : s;
    return `| ${name} | ${ratioToNet('pp64', s)} | ${ratioToNet('pp1000', s)} | ${p99('pp1000', s)} | ` +
      `${fairness('pp1000', s)} | ${cpu(s)} | ${ratioToCeiling('stream', s)} | ${instr('pp64', s)} / ` +
      `${instr('pp1000', s)} | ${instr('stream', s)} | ${syscalls('pp64', s)} / ${syscalls('pp1000', s)} |`;
  });
  const info = results.info, counted = instructions.info;
  const commits = [...new Set(instructions.counts.filter((c) => shown.includes(c.server)).map((c) => c.commit))];
  return [
    BEGIN,
    '| server | 64 conns × 64 B: vs `net` (rounds) | 1,000 conns: vs `net` (rounds) | p99 at 1,000 | least/most served at 1,000 | ' +
      'server CPU per round trip, 64 → 1,000 conns | 64 KiB stream: vs `c-epoll` | instructions per message, 64 / 1,000 conns | ' +
      'instructions per 64 KiB chunk | system calls per message, 64 / 1,000 conns |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Timed: \`pnpm bench -- --rounds ${info.rounds}${info.syscalls ? ' --syscalls' : ''}\`, ${info.date.slice(0, 10)}, ${info.machine} (the server and the C load ` +
      `generator share its cores; neither is pinned), Node ${info.node}; medians of ${info.rounds} interleaved rounds of ` +
      `${info.seconds} s, each round's own ratio in brackets (the machine is shared: one round can stray ±15%). ` +
      'Instructions: user-space, the server\'s event-loop thread(s), counted with callgrind ' +
      `(\`pnpm bench -- --rounds 0 --instructions\`), ${counted.date.slice(0, 10)} at ${commits.join(', ')}; ` +
      'they do not move with the machine\'s load. ' +
      (info.syscalls ? 'System calls: every thread of the server, counted with perf\'s tracepoints at full speed after the ' +
        'timed rounds (`--syscalls`); two per message (a receive and a send) is the floor. ' : '') +
      'Written from `apps/bench/results/` by ' +
      '`pnpm --filter @winsock-models/bench readme-figures`.',
    END,
  ].join('\n');
}

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, servers] of readmes) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(BEGIN), to = text.indexOf(END);
  if (from < 0 || to < from) {
    console.error(`${file}: no ${BEGIN} … ${END} block`);
    stale++;
    continue;
  }
  const next = text.slice(0, from) + block(servers) + text.slice(to + END.length);
  if (next === text) continue;
  if (check) {
    console.error(`${file}: its figures differ from apps/bench/results (run \`pnpm --filter @winsock-models/bench readme-figures\`)`);
    stale++;
  } else {
    writeFileSync(path, next);
    console.log(`written: ${relative(root, path)}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
