// System calls and context switches per echoed message: the kernel's side of a server's cost, beside
// the user-space instructions (instructions.ts). About half of a server's CPU per round trip here is the
// kernel's, and a server that makes one call more per message (a receive that finds nothing, an
// epoll_ctl per request, a wake-up of another thread) pays it at every message. The count, like the
// instructions, does not move with the machine's noise, except the epoll waits and the switches, which
// depend on how many events one wait finds.
//
// Counted with perf's tracepoints (raw_syscalls:sys_enter, and the context-switches software event),
// attached to every thread of the server's process and of its child processes (net-cluster's), at full
// speed: the servers run uninstrumented, so each wait finds as many events as in the timed rounds. perf
// starts with its counters off (-D -1) and turns them on when told through a control descriptor; its
// "ack" says they are on before the load generator starts. As for the instructions, each figure is the
// difference between a small and a large run of the same connections, so connecting, accepting and
// closing cancel out:
//
//   system calls per message = (calls(large) - calls(small)) / (messages(large) - messages(small))
//
// after a warm-up run. It runs after the timed rounds, each server on its own, so perf's small cost per
// call never lands in a timed round.
import { spawn, spawnSync } from 'node:child_process';
import { processTree } from './cpu.js';
import { openFds, settle } from './settle.js';
import { exactRun, messagesFor, WARM_MESSAGES, worthOf } from './instructions.js';
import type { Load } from './loads.js';
import { startServer } from './server-process.js';

export interface SyscallCount {
  /** System calls per message (ping-pong) or per 64 KiB chunk (stream), every thread of the server. */
  syscallsPerOp: number;
  /** Context switches per message or chunk. */
  switchesPerOp: number;
}

const EVENTS = ['raw_syscalls:sys_enter', 'context-switches'];

/** Why system calls cannot be counted here (no perf, or no permission for its tracepoints), or null. */
export function syscallsUnavailable(): string | null {
  const r = spawnSync('perf', ['stat', '-x', ',', '-e', EVENTS.join(','), 'true'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error || r.status !== 0) {
    return `perf cannot count system calls here (${r.error ? r.error.message : (r.stderr ?? '').trim().split('\n')[0]}): ` +
      'no system call counts (perf comes with linux-perf; its tracepoints need root or kernel.perf_event_paranoid -1)';
  }
  const counts = parsePerfCsv(r.stderr);
  const missing = EVENTS.filter((e) => !Number.isFinite(counts.get(e)));
  return missing.length ? `perf cannot count ${missing.join(' and ')} here: no system call counts` : null;
}

/** perf stat's CSV lines (value,unit,event,...) as counts by event; a line it could not count is NaN. */
export function parsePerfCsv(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.split(',');
    if (f.length < 3 || !EVENTS.includes(f[2]!)) continue;
    counts.set(f[2]!, /^\d+$/.test(f[0]!) ? Number(f[0]) : NaN);
  }
  return counts;
}

/**
 * Counts the events of the processes `pids` (all their threads) while `during` runs: perf is attached
 * with its counters off, turned on (and its acknowledgement awaited) before `during` starts, and
 * stopped after it ends.
 */
async function counted(pids: number[], during: () => Promise<void>): Promise<Map<string, number>> {
  const perf = spawn('perf', ['stat', '-x', ',', '-D', '-1', '--control', 'fd:3,4', '-e', EVENTS.join(','),
    '-p', pids.join(',')], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let report = '';
  perf.stderr!.on('data', (d) => { report += d; });
  const exited = new Promise<void>((resolve) => perf.once('close', () => resolve()));
  const ctl = perf.stdio[3] as NodeJS.WritableStream, ack = perf.stdio[4] as NodeJS.ReadableStream;
  try {
    const on = new Promise<void>((resolve, reject) => {
      ack.once('data', () => resolve());
      perf.once('close', () => reject(new Error(`perf stat ended before counting: ${report.trim()}`)));
    });
    ctl.write('enable\n');
    await on;
    await during();
  } finally {
    perf.kill('SIGINT');
    await exited;
  }
  const counts = parsePerfCsv(report);
  for (const e of EVENTS) if (!Number.isFinite(counts.get(e))) throw new Error(`perf counted no ${e}: ${report.trim()}`);
  return counts;
}

/**
 * Counts one server's system calls and context switches per message under each load, in one process
 * started for it. A load whose runs fail is left out of the answer (the error is logged).
 */
export async function countSyscalls(model: string, loads: Load[], log: (line: string) => void):
  Promise<Map<string, SyscallCount>> {
  const out = new Map<string, SyscallCount>();
  const server = await startServer(model);
  const pid = server.child.pid!;
  try {
    for (const load of loads) {
      try {
        const go = (messages: number) => exactRun(server.port, load, messages);
        let fds = openFds(pid);
        await go(worthOf(load, WARM_MESSAGES));
        await settle(pid, fds);
        fds = openFds(pid);
        const { small, extra } = messagesFor(load);
        const windows: { messages: number; ops: number; calls: number; switches: number }[] = [];
        for (const messages of [small, small + extra]) {
          let ops = 0;
          const c = await counted(processTree(pid), async () => {
            const r = await go(messages);
            ops = r.allRoundTrips;
            if (ops < messages) throw new Error(`a run ended early (${ops} of ${messages} messages)`);
            await settle(pid, fds);
          });
          windows.push({ messages, ops, calls: c.get(EVENTS[0]!)!, switches: c.get(EVENTS[1]!)! });
        }
        const [a, b] = windows as [typeof windows[0], typeof windows[0]];
        const dOps = b.ops - a.ops;
        if (dOps <= 0) throw new Error(`no difference between the runs (${a.ops}, ${b.ops} messages)`);
        const count = { syscallsPerOp: (b.calls - a.calls) / dOps, switchesPerOp: (b.switches - a.switches) / dOps };
        log(`${model} ${load.id}: ${count.syscallsPerOp.toFixed(2)} system calls and ${count.switchesPerOp.toFixed(3)} ` +
          `context switches per message, over ${dOps} messages (runs: ${windows.map((w) => `${w.ops}: ${w.calls}/${w.switches}`).join(', ')})`);
        out.set(load.id, count);
      } catch (err) {
        log(`${model} under ${load.id}: no system call count: ${(err as Error).message}`);
      }
    }
  } finally {
    await server.stop();
  }
  return out;
}
