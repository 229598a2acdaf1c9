// The tour proper (main.ts installs the call counter first, then imports this).
import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { availableModels, MODELS, type ModelName } from '@winsock-models/echo';
import type { CallCounter } from './call-counter.js';
import { Clients } from './clients.js';
import { renderHtml } from './html.js';
import { LOOPS } from './loops.js';
import { runModel, type ModelReport, type TourSizes } from './run-model.js';
import { fold, type ConnectionStory, type Step } from './story.js';
import { Progress, style, type Style } from './style.js';

const USAGE = `usage: pnpm tour [--json] [--html <file>] [--models a,b,...]
  Runs every model's echo server in turn with real clients and reports in Winsock terms.
  --json           one JSON document on stdout ({ models, reports, notBuilt, sizes }), nothing else
  --html <file>    also writes one self-contained page drawing each model's connection timeline
  --models a,b     only these models (default: every model with an echo server, and net)`;

/** A usage error: main.ts prints its message as one line and exits with status 2. */
class UsageError extends Error {
  readonly exitCode = 2;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: {
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      models: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    } }).values;
  } catch (err) {
    // Node's message adds a long hint after the first sentence: keep the sentence.
    throw new UsageError(`${(err as Error).message.split('. ')[0]}; see pnpm tour -- --help`);
  }
}

function writable(file: string): void {
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch (err) {
    throw new Error(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The JSON form of a connection's story: its timeline folded (repeats counted, not listed). */
function timelineJson(story: ConnectionStory | null) {
  if (!story) return null;
  return { listener: story.listener, socket: story.socket, steps: story.steps.length,
    timeline: fold(story.steps).map((x) => ('folded' in x ? x
      : { t: x.t, lane: x.lane, socket: x.socket, kind: x.kind, what: x.what, meaning: x.meaning })) };
}

export async function tour(argv: string[], counter: CallCounter | null): Promise<number> {
  const values = parse(argv);
  if (values.help) { console.log(USAGE); return 0; }
  const json = values.json!;
  // `pnpm tour` runs this from the repository root; a relative path means where the command was typed.
  const html = values.html === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), values.html);
  if (html !== undefined && values.html === '') throw new UsageError('--html needs a file name');
  // Fail before the run, not after it, when the page could not be written.
  if (html !== undefined) writable(html);
  const s = style(!json && process.stdout.isTTY === true);
  const progress = new Progress(process.stderr.isTTY === true);

  const available = availableModels();
  const models = values.models ? (values.models.split(',') as ModelName[]) : available;
  for (const m of models) {
    if (!available.includes(m)) throw new UsageError(`no echo server for model ${m}; available: ${available.join(', ')}`);
  }
  const sizes: TourSizes = { clients: 16, rounds: 500, burstBytes: 16 * 1024 * 1024 };

  const clients = new Clients();
  const reports: ModelReport[] = [];
  const failed: Array<{ model: ModelName; error: string }> = [];
  try {
    for (const [i, model] of models.entries()) {
      const head = `[${i + 1}/${models.length}] ${model}`;
      progress.set(head);
      try {
        const r = await runModel(model, clients, counter, sizes, (step) => progress.set(`${head}: ${step}`));
        reports.push(r);
        progress.clear();
        if (!json) printModel(r, s);
      } catch (err) {
        progress.clear();
        failed.push({ model, error: (err as Error).message });
        if (!json) console.log(`${s.bold(model)}  ${s.red(`FAILED: ${(err as Error).message}`)}\n`);
      }
    }
  } finally {
    progress.clear();
    await clients.close();
  }

  const notBuilt = MODELS.filter((m) => !available.includes(m));
  if (html !== undefined) {
    try {
      writeFileSync(html, renderHtml(reports));
    } catch (err) {
      throw new Error(`cannot write ${html}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (json) {
    const out = reports.map(({ story, reset, ...r }) => ({ ...r, loop: LOOPS[r.model], story: timelineJson(story), reset: timelineJson(reset) }));
    console.log(JSON.stringify({ models, sizes, reports: out, failed, notBuilt, html: html ?? null }, null, 2));
  } else {
    printTable(reports, notBuilt, s);
    if (html !== undefined) console.log(s.dim(`\nthe timelines, drawn: ${html}`));
  }
  return failed.length || reports.some((r) => !r.ok) ? 1 : 0;
}

const kib = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`);

function printModel(r: ModelReport, s: Style): void {
  const verdict = `${r.bytesVerified.toLocaleString('en-US')} bytes verified`;
  console.log(`${s.bold(s.cyan(r.model))}  ${r.ok ? s.green(verdict) : s.red(`${verdict}, a scenario FAILED`)}`);
  for (const sc of r.scenarios) {
    console.log(sc.ok ? `  ${s.green('ok')}   ${sc.name.padEnd(15)} ${s.dim(`${sc.detail} (${kib(sc.bytesVerified)})`)}`
      : `  ${s.red('FAIL')} ${sc.name.padEnd(15)} ${s.red(sc.detail)}`);
  }
  const fails = Object.entries(r.failures).sort((a, b) => b[1] - a[1]);
  if (fails.length) {
    console.log(`  ${s.bold('calls that returned SOCKET_ERROR')} ${s.dim('(half-close, abortive close, burst)')}`);
    console.log(`    ${fails.slice(0, 5).map(([k, n]) => `${k} x${n}`).join(', ')}`);
  }
  const alertable = Object.entries(r.alertable);
  if (alertable.length) {
    console.log(`  ${s.bold('in alertable waits')} ${s.dim('(completion routines run only there)')}`);
    console.log(`    ${alertable.map(([k, n]) => `${k} x${n}`).join(', ')}`);
  }
  console.log(`  ${s.bold('the loop')}`);
  for (const line of LOOPS[r.model]) console.log(`    ${s.dim(line)}`);
  if (r.story) printStory(r.story, s);
  if (r.reset) printReset(r.reset, s);
  const top = Object.entries(r.calls).slice(0, 6).map(([k, n]) => `${k} ${n.toFixed(2)}`).join(', ');
  if (r.callsCounted === 'workers') {
    console.log(`  ${s.bold('calls per echoed message')} ${s.dim(`not counted: ${WORKERS_NOTE}`)}`);
  } else if (top) {
    console.log(`  ${s.bold('calls per echoed message')} ${s.dim(top)}`);
  }
  console.log('');
}

// Why a server whose worker threads make its calls has no calls/message (run-model.ts).
const WORKERS_NOTE = 'its WSARecv, WSASend and GetQueuedCompletionStatus calls are made in its worker threads, ' +
  'which the counter (it wraps this thread\'s addon) does not see';

const ms = (us: number) => `+${(us / 1000).toFixed(3)} ms`.padStart(12);
const LANE: Record<Step['lane'], string> = { listener: 'listener', connection: 'connection', wait: 'wait' };

/** One connection's life, folded: every milestone, the first steps of each kind, repeats counted. */
function printStory(story: ConnectionStory, s: Style): void {
  console.log(`  ${s.bold('one connection\'s life')} ${s.dim(`(the burst's connection: socket ${story.socket} accepted on ${story.listener}; ${story.steps.length} steps from the core's trace)`)}`);
  const told = new Set<string>();
  for (const x of fold(story.steps)) {
    if ('folded' in x) {
      const what = Object.entries(x.keys).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} x${n}`).join(', ');
      console.log(s.dim(`    ${''.padStart(12)}  ... ${x.folded} more: ${what}`));
      continue;
    }
    console.log(`    ${s.dim(ms(x.t))}  ${LANE[x.lane].padEnd(10)}  ${x.what}`);
    // Each meaning once: the first time its kind of step appears.
    if (!told.has(x.meaning)) {
      told.add(x.meaning);
      console.log(`    ${''.padStart(12)}  ${''.padEnd(10)}  ${s.yellow(`-> ${x.meaning}`)}`);
    }
  }
}

/** How the abortive close showed on its connection: the reset's steps only. */
function printReset(story: ConnectionStory, s: Style): void {
  const steps = story.steps.filter((x) => /ECONN|closesocket|FD_CLOSE|= 0\b/.test(x.what));
  if (!steps.length) return;
  console.log(`  ${s.bold('the abortive close')} ${s.dim(`(socket ${story.socket}: the client set SO_LINGER {1, 0} and closed with data unread)`)}`);
  for (const x of steps) console.log(`    ${x.what}\n      ${s.yellow(`-> ${x.meaning}`)}`);
  if (steps.some((x) => /WSAECONNABORTED/.test(x.what)) || steps.some((x) => /WSAECONNRESET/.test(x.what))) {
    console.log(s.dim('      WSAECONNRESET (10054): the peer reset the connection, reported by calls on the socket; WSAECONNABORTED (10053):'));
    console.log(s.dim('      the connection was aborted on this side; Windows uses it in FD_CLOSE for a peer\'s reset as well.'));
  }
}

function printTable(reports: ModelReport[], notBuilt: string[], s: Style): void {
  const net = reports.find((r) => r.model === 'net');
  const head = ['model', 'bytes verified', 'round trips/s', 'vs net', 'calls/message'];
  const rows = reports.map((r) => [
    r.ok ? r.model : `${r.model} (FAILED)`,
    r.bytesVerified.toLocaleString('en-US'),
    Math.round(r.roundTripsPerSecond).toLocaleString('en-US'),
    net ? `${(r.roundTripsPerSecond / net.roundTripsPerSecond).toFixed(2)}x` : '-',
    r.callsCounted === 'workers' ? 'n/a †'
      : r.callsPerMessage === null ? 'n/a' : `${r.callsPerMessage.toFixed(2)}${r.callsCounted === 'syscalls' ? ' *' : ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(s.bold(fmt(head)));
  for (const row of rows) console.log(fmt(row));
  console.log(s.dim('\ncalls/message: the Winsock calls the server made into the native core during the timed echo ' +
    '(every call, accept and close included), divided by the round trips.'));
  if (net) console.log(s.dim('* net makes no Winsock calls: its figure is the read/write system calls of its event loop.'));
  const inWorkers = reports.filter((r) => r.callsCounted === 'workers').map((r) => r.model);
  if (inWorkers.length) console.log(s.dim(`† ${inWorkers.join(', ')}: ${WORKERS_NOTE}.`));
  console.log(s.dim('round trips/s: one run, clients in a worker thread of the same process; `pnpm bench` measures properly.'));
  if (notBuilt.length) console.log(s.dim(`not built yet: ${notBuilt.join(', ')}`));
}
