// Runs one model's echo server in this process (the main thread) and drives the client worker at it:
// first with tracing on, for the behaviours (half-close, abortive close, burst), then untraced for
// the timed echo whose Winsock calls are counted.
import { readFileSync } from 'node:fs';
import { loadServer, type ModelName } from '@winsock-models/echo';
import { wsaErrorName } from '@winsock-models/core';
import type { CallCounter } from './call-counter.js';
import type { Clients } from './clients.js';
import { TraceDigest, type DigestLine } from './digest.js';
import type { ScenarioResult } from './scenarios.js';

export interface ModelReport {
  model: ModelName;
  /** Every scenario verified every byte. */
  ok: boolean;
  /** Every byte the clients got back and compared, over all scenarios. */
  bytesVerified: number;
  scenarios: ScenarioResult[];
  echo: { clients: number; roundTrips: number; bytesVerified: number; seconds: number };
  roundTripsPerSecond: number;
  /**
   * Calls per echoed message: for a model, its Winsock calls into the native core during the timed
   * echo, divided by the round trips; for net (no Winsock calls), the read/write system calls its
   * event loop made (Linux /proc accounting of the server's thread). See `callsCounted`.
   */
  callsPerMessage: number | null;
  callsCounted: 'winsock' | 'syscalls' | 'none';
  /** Per call name, calls per echoed message. */
  calls: Record<string, number>;
  /** Calls that failed during the behaviour scenarios, e.g. "send WSAEWOULDBLOCK": count. */
  failures: Record<string, number>;
  /** During the behaviour scenarios: completion routines run, alertable waits that returned WAIT_IO_COMPLETION. */
  alertable: Record<string, number>;
  trace: DigestLine[];
  traceLines: number;
}

export interface TourSizes { clients: number; rounds: number; burstBytes: number }

async function startServer(model: ModelName, trace?: (line: string) => void) {
  const serve = await loadServer(model);
  const controller = new AbortController();
  let done!: Promise<void>;
  const port = await new Promise<number>((resolve, reject) => {
    done = serve({ host: '127.0.0.1', port: 0, signal: controller.signal, onListening: resolve, trace });
    done.catch(reject);
  });
  // A server that does not close within 5 s is reported, not waited for forever.
  const stop = async () => {
    controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the server did not close within 5 s of its abort signal')), 5000);
    });
    try { await Promise.race([done, late]); } finally { clearTimeout(timer); }
  };
  return { port, stop };
}

/** read+write system calls of this process's main thread so far (Linux), or null. */
function mainThreadSyscalls(): number | null {
  try {
    const io = readFileSync(`/proc/${process.pid}/task/${process.pid}/io`, 'utf8');
    const field = (k: string) => Number(new RegExp(`^${k}: (\\d+)`, 'm').exec(io)?.[1]);
    const n = field('syscr') + field('syscw');
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export async function runModel(model: ModelName, clients: Clients, counter: CallCounter | null, sizes: TourSizes,
  onStep: (step: string) => void): Promise<ModelReport> {
  const digest = new TraceDigest();
  const scenarios: ScenarioResult[] = [];

  // 1. The behaviours, traced.
  let server = await startServer(model, (line) => digest.add(line));
  counter?.reset();
  try {
    // A failed scenario is reported as such and the others still run.
    const attempt = async (name: string, run: () => Promise<ScenarioResult>) => {
      onStep(name);
      try { scenarios.push(await run()); } catch (err) {
        scenarios.push({ name, ok: false, bytesVerified: 0, detail: (err as Error).message });
      }
    };
    await attempt('half-close', () => clients.run({ kind: 'half-close', port: server.port }));
    await attempt('abortive close', () => clients.run({ kind: 'abortive-close', port: server.port }));
    await attempt('burst', () => clients.run({ kind: 'burst', port: server.port, total: sizes.burstBytes }));
  } finally {
    await server.stop().catch((err: Error) => scenarios.push({ name: 'server close', ok: false, bytesVerified: 0, detail: err.message }));
  }
  const alertable = counter?.alertable() ?? {};
  const failures: Record<string, number> = {};
  for (const [k, n] of Object.entries(counter?.failures() ?? {})) {
    const [name, code] = k.split(' ');
    const label = `${name} ${wsaErrorName(Number(code)) ?? code}`;
    failures[label] = (failures[label] ?? 0) + n;
  }

  // 2. The timed echo, untraced, its calls counted.
  onStep('echo');
  server = await startServer(model);
  counter?.reset();
  const sys0 = model === 'net' ? mainThreadSyscalls() : null;
  let echo: ScenarioResult & { roundTrips: number; seconds: number };
  try {
    echo = await clients.run({ kind: 'echo', port: server.port, clients: sizes.clients, rounds: sizes.rounds });
  } finally {
    await server.stop();
  }
  const sys1 = model === 'net' ? mainThreadSyscalls() : null;
  scenarios.unshift(echo);

  let callsPerMessage: number | null = null;
  let callsCounted: ModelReport['callsCounted'] = 'none';
  const calls: Record<string, number> = {};
  if (model === 'net') {
    if (sys0 !== null && sys1 !== null) {
      callsPerMessage = (sys1 - sys0) / echo.roundTrips;
      callsCounted = 'syscalls';
      calls['read/write syscalls'] = callsPerMessage;
    }
  } else if (counter) {
    const snap = counter.snapshot();
    const total = Object.values(snap).reduce((a, b) => a + b, 0);
    for (const [k, n] of Object.entries(snap).sort((a, b) => b[1] - a[1])) calls[k] = n / echo.roundTrips;
    callsPerMessage = total / echo.roundTrips;
    callsCounted = 'winsock';
  }

  return {
    model,
    ok: scenarios.every((sc) => sc.ok),
    bytesVerified: scenarios.reduce((a, s) => a + s.bytesVerified, 0),
    scenarios,
    echo: { clients: sizes.clients, roundTrips: echo.roundTrips, bytesVerified: echo.bytesVerified, seconds: echo.seconds },
    roundTripsPerSecond: echo.roundTrips / echo.seconds,
    callsPerMessage,
    callsCounted,
    calls,
    failures,
    alertable,
    trace: digest.lines(),
    traceLines: digest.total,
  };
}
