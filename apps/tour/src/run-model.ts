// Runs one model's echo server in this process (the main thread) and drives the client worker at it:
// first with the core's trace on, for the behaviours (half-close, abortive close, burst), then
// untraced for the timed echo whose Winsock calls are counted.
import { readFileSync } from 'node:fs';
import { WORKER_THREAD_MODELS, loadServer, type ModelName } from '@winsock-models/echo';
import { wsaErrorName } from '@winsock-models/core';
import { traceStart, type TraceRecord } from '@winsock-models/core/internal';
import type { CallCounter } from './call-counter.js';
import type { Clients } from './clients.js';
import type { ScenarioResult } from './scenarios.js';
import { connectionStory, link, type ConnectionStory } from './story.js';

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
  /** 'workers': the model's server makes its data calls in worker threads, which the counter does not see. */
  callsCounted: 'winsock' | 'syscalls' | 'workers' | 'none';
  /** Per call name, calls per echoed message. */
  calls: Record<string, number>;
  /** Calls that failed during the behaviour scenarios, e.g. "send WSAEWOULDBLOCK": count. */
  failures: Record<string, number>;
  /** During the behaviour scenarios: completion routines run, alertable waits that returned WAIT_IO_COMPLETION. */
  alertable: Record<string, number>;
  /** The life of the burst's connection (the richest), built from the core's trace; null for net. */
  story: ConnectionStory | null;
  /** How the abortive close's reset showed (its steps on that connection), from the same trace. */
  reset: ConnectionStory | null;
  /** Trace records of the behaviour scenarios, per kind. */
  traceCounts: Record<string, number>;
  /** Trace records overwritten before they were read (0 unless the machine stalled the tour). */
  traceLost: number;
}

export interface TourSizes { clients: number; rounds: number; burstBytes: number }

async function startServer(model: ModelName) {
  const serve = await loadServer(model);
  const controller = new AbortController();
  let done!: Promise<void>;
  const port = await new Promise<number>((resolve, reject) => {
    done = serve({ host: '127.0.0.1', port: 0, signal: controller.signal, onListening: resolve });
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
  const scenarios: ScenarioResult[] = [];

  // 1. The behaviours, traced by the core. The ring is drained as the scenarios run, and each
  //    scenario's records start at a known index, so each connection can be found in its own stretch.
  const trace = traceStart(1 << 18);
  const records: TraceRecord[] = [];
  const drain = () => { for (const r of trace.drain()) records.push(r); };
  const drainer = setInterval(drain, 20);
  const starts: Record<string, number> = {};
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(model);
    counter?.reset();
    // A failed scenario is reported as such and the others still run.
    const attempt = async (name: string, run: () => Promise<ScenarioResult>) => {
      onStep(name);
      drain();
      starts[name] = records.length;
      try { scenarios.push(await run()); } catch (err) {
        scenarios.push({ name, ok: false, bytesVerified: 0, detail: (err as Error).message });
      }
    };
    const port = server.port;
    await attempt('half-close', () => clients.run({ kind: 'half-close', port }));
    await attempt('abortive close', () => clients.run({ kind: 'abortive-close', port }));
    await attempt('burst', () => clients.run({ kind: 'burst', port, total: sizes.burstBytes }));
  } finally {
    try {
      await server?.stop().catch((err: Error) => scenarios.push({ name: 'server close', ok: false, bytesVerified: 0, detail: err.message }));
    } finally {
      clearInterval(drainer);
      drain();
      trace.stop();
    }
  }
  const linked = link(records);
  const end = records.length;
  // The core names the native wait; the overlapped-routine server calls it as Win32's WaitForSingleObjectEx.
  const waitName = (w: string) => (model === 'overlapped-routine' && w === 'WSAWaitForMultipleEvents'
    ? 'WaitForSingleObjectEx(hAcceptEvent, INFINITE, TRUE)' : w);
  const story = starts['burst'] !== undefined ? connectionStory(linked, starts['burst'], end, waitName) : null;
  const reset = starts['abortive close'] !== undefined
    ? connectionStory(linked, starts['abortive close'], starts['burst'] ?? end, waitName) : null;
  const traceCounts: Record<string, number> = {};
  for (const r of records) traceCounts[r.kind] = (traceCounts[r.kind] ?? 0) + 1;
  const alertable = counter?.alertable() ?? {};
  const failures: Record<string, number> = {};
  for (const [k, n] of Object.entries(counter?.failures() ?? {})) {
    const [name, code] = k.split(' ');
    const label = `${name} ${wsaErrorName(Number(code)) ?? code}`;
    failures[label] = (failures[label] ?? 0) + n;
  }

  // 2. The timed echo, untraced, its calls counted.
  onStep('echo');
  const timed = await startServer(model);
  counter?.reset();
  const sys0 = model === 'net' ? mainThreadSyscalls() : null;
  let echo: ScenarioResult & { roundTrips: number; seconds: number };
  try {
    echo = await clients.run({ kind: 'echo', port: timed.port, clients: sizes.clients, rounds: sizes.rounds });
  } finally {
    await timed.stop();
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
    // The counter wraps this thread's addon exports; a worker thread loads its own, unwrapped. What is
    // counted for such a server is its main thread's share (accepts, associations), not per message.
    if (WORKER_THREAD_MODELS.includes(model)) {
      callsCounted = 'workers';
    } else {
      callsPerMessage = total / echo.roundTrips;
      callsCounted = 'winsock';
    }
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
    story,
    reset,
    traceCounts,
    traceLost: trace.lost,
  };
}
