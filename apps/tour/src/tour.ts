// The tour proper (main.ts installs the call counter first, then imports this).
import { parseArgs } from 'node:util';
import { availableModels, MODELS, type ModelName } from '@winsock-models/echo';
import type { CallCounter } from './call-counter.js';
import { Clients } from './clients.js';
import { runModel, type ModelReport, type TourSizes } from './run-model.js';
import { Progress, style, type Style } from './style.js';

const USAGE = `usage: pnpm tour [--json] [--models a,b,...]
  Runs every model's echo server in turn with real clients and reports in Winsock terms.
  --json     one JSON document on stdout ({ models, reports, notBuilt, sizes }), nothing else
  --models   only these models (default: every model with an echo server, and net)`;

export async function tour(argv: string[], counter: CallCounter | null): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    json: { type: 'boolean', default: false },
    models: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  } });
  if (values.help) { console.log(USAGE); return 0; }
  const json = values.json!;
  const s = style(!json && process.stdout.isTTY === true);
  const progress = new Progress(process.stderr.isTTY === true);

  const available = availableModels();
  const models = values.models ? (values.models.split(',') as ModelName[]) : available;
  for (const m of models) {
    if (!available.includes(m)) { console.error(`no echo server for model ${m}; available: ${available.join(', ')}`); return 2; }
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
  if (json) console.log(JSON.stringify({ models, sizes, reports, failed, notBuilt }, null, 2));
  else printTable(reports, notBuilt, s);
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
  if (r.trace.length) {
    console.log(`  ${s.bold('the server\'s trace')} ${s.dim(`(${r.trace.length} of ${r.traceLines} lines)`)}`);
    for (const t of r.trace) {
      const line = t.line.length > 90 ? `${t.line.slice(0, 87)}...` : t.line;
      console.log(`    ${line}\n      ${s.yellow('-> ' + t.meaning)}`);
    }
  }
  const top = Object.entries(r.calls).slice(0, 6).map(([k, n]) => `${k} ${n.toFixed(2)}`).join(', ');
  if (top) console.log(`  ${s.bold('calls per echoed message')} ${s.dim(top)}`);
  console.log('');
}

function printTable(reports: ModelReport[], notBuilt: string[], s: Style): void {
  const net = reports.find((r) => r.model === 'net');
  const head = ['model', 'bytes verified', 'round trips/s', 'vs net', 'calls/message'];
  const rows = reports.map((r) => [
    r.ok ? r.model : `${r.model} (FAILED)`,
    r.bytesVerified.toLocaleString('en-US'),
    Math.round(r.roundTripsPerSecond).toLocaleString('en-US'),
    net ? `${(r.roundTripsPerSecond / net.roundTripsPerSecond).toFixed(2)}x` : '-',
    r.callsPerMessage === null ? 'n/a' : `${r.callsPerMessage.toFixed(2)}${r.callsCounted === 'syscalls' ? ' *' : ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(s.bold(fmt(head)));
  for (const row of rows) console.log(fmt(row));
  console.log(s.dim('\ncalls/message: the Winsock calls the server made into the native core during the timed echo ' +
    '(every call, accept and close included), divided by the round trips.'));
  if (net) console.log(s.dim('* net makes no Winsock calls: its figure is the read/write system calls of its event loop.'));
  console.log(s.dim('round trips/s: one run, clients in a worker thread of the same process; `pnpm bench` measures properly.'));
  if (notBuilt.length) console.log(s.dim(`not built yet: ${notBuilt.join(', ')}`));
}
