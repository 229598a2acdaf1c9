// User-space instructions per echoed message: the figure that does not move with the machine's noise.
//
// Each server runs once more under valgrind's callgrind, with instrumentation off while it starts
// (--instr-atstart=no: starting node under it takes minutes otherwise). A first load-generator run of
// 20,000 messages warms the JIT; instrumentation is switched on (`callgrind_control -i on`) and a
// second run of 1,000 warms it under instrumentation. Then the load generator runs twice more, each run ending after an exact
// number of echoed messages (`--messages`), a small and a larger one, the counters dumped (and so
// zeroed) after each, once the server has finished closing that run's connections. The two runs
// connect and close the same connections, so their difference is messages only:
//
//   instructions per message = (Ir(large) - Ir(small)) / (messages(large) - messages(small))
//
// Ir is every instruction the server process ran in user space, all its threads (V8's compiler and
// GC threads too); the kernel's work is not in it. Under callgrind a server runs some 100x slower,
// which changes nothing in what it executes per message, and the count does not depend on how fast
// the machine is at the time. What remains is small: messages still in flight when a run ends (at
// most one per connection, in both runs) and the JIT's and GC's own timing.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds } from './cpu.js';
import { runLoadgen } from './loadgen.js';
import type { Load } from './loads.js';
import { startServer } from './server-process.js';

/** Messages in the small run, and how many more the large one echoes (per load: see messagesFor). */
export function messagesFor(load: Load): { small: number; extra: number } {
  if (load.mode === 'stream') return { small: 100, extra: 400 };  // 64 KiB chunks
  // The in-flight messages at a run's end (one per connection) must stay small beside the difference.
  return { small: Math.max(200, 2 * load.connections), extra: Math.max(2000, 5 * load.connections) };
}
/**
 * Messages of the warm-up runs: uninstrumented, long enough for V8 to have compiled the server's hot
 * code with its optimising compiler (its background compiles take wall time, 100x more under
 * valgrind: counted too early, a server runs unoptimised code at several times the instructions);
 * then a short one instrumented.
 */
export const WARM_MESSAGES = 20_000, WARM_INSTRUMENTED = 1_000;

export interface InstructionCount {
  /** User-space instructions per message (ping-pong) or per 64 KiB chunk (stream). */
  perOp: number;
  /** Messages (or chunks) the difference of the two runs is over. */
  ops: number;
}

/** Why instructions cannot be counted here (no valgrind), or null when they can. */
export function instructionsUnavailable(): string | null {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['-h'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'valgrind (callgrind) is not installed: no instruction counts (apt-get install valgrind)';
  }
}

const run = (cmd: string, args: string[]) => new Promise<string>((resolve, reject) => {
  execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
});
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Descriptors the process holds (its sockets among them), or -1 where /proc cannot say. */
function openFds(pid: number): number {
  try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return -1; }
}

/**
 * Waits until the process has closed every connection of the run (it holds no more descriptors than
 * `fds`, its count before the run) and then used no CPU for two looks 200 ms apart. CPU alone is not
 * enough: on a busy machine a server under callgrind can go 400 ms without a tick while it still has
 * 1,000 closes to do.
 */
async function settle(pid: number, fds: number): Promise<void> {
  for (let i = 0; i < 1200 && fds >= 0 && openFds(pid) > fds; i++) await sleep(100);
  let last = cpuSeconds(pid), still = 0;
  for (let i = 0; i < 100 && still < 2; i++) {
    await sleep(200);
    const now = cpuSeconds(pid);
    still = now !== null && now === last ? still + 1 : 0;
    last = now;
  }
}

/**
 * The Ir total of the dump just asked for (then removed). callgrind_control may answer before the dump
 * is written (valgrind acts on the command when the server next runs): wait for the file, complete.
 */
async function takeDump(dir: string): Promise<number> {
  for (let i = 0; i < 600; i++) {
    for (const f of readdirSync(dir)) {
      if (!/^base\.\d+\.\d+$/.test(f)) continue;  // base.<pid>.<dump number>; base.<pid> is the exit's
      const m = /^totals: (\d+)/m.exec(readFileSync(join(dir, f), 'utf8'));
      if (!m) continue;  // still being written
      rmSync(join(dir, f));
      return Number(m[1]);
    }
    await sleep(100);
  }
  throw new Error('callgrind wrote no dump');
}

/**
 * Counts one server's instructions per message under each load, in one callgrind process. A load
 * whose runs fail is left out of the answer (the error is logged).
 */
export async function countInstructions(model: string, loads: Load[], log: (line: string) => void):
  Promise<Map<string, InstructionCount>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-callgrind-'));
  const counts = new Map<string, InstructionCount>();
  const server = await startServer(model, [], ['valgrind', '-q', '--tool=callgrind', '--instr-atstart=no',
    '--dump-instr=no', '--dump-line=no', `--callgrind-out-file=${join(dir, 'base.%p')}`]);
  const pid = String(server.child.pid);
  try {
    for (const load of loads) {
      try {
        const go = (seconds: number, messages = 0) => runLoadgen({ port: server.port, mode: load.mode,
          connections: load.connections, size: load.size, seconds, warmup: 0, messages });
        const fds = openFds(server.child.pid!);
        await go(600, load.mode === 'stream' ? WARM_MESSAGES / 10 : WARM_MESSAGES);
        await settle(server.child.pid!, fds);
        await run('callgrind_control', ['-i', 'on', pid]);
        await go(600, load.mode === 'stream' ? WARM_INSTRUMENTED / 10 : WARM_INSTRUMENTED);
        await settle(server.child.pid!, fds);
        await run('callgrind_control', ['-z', pid]);
        const ir: number[] = [], ops: number[] = [];
        const { small, extra } = messagesFor(load);
        for (const messages of [small, small + extra]) {
          const r = await go(600, messages);
          await settle(server.child.pid!, fds);
          await run('callgrind_control', ['-d', pid]);
          ops.push(r.allRoundTrips);
          ir.push(await takeDump(dir));
        }
        await run('callgrind_control', ['-i', 'off', pid]);
        const dOps = ops[1]! - ops[0]!;
        if (ops[0]! < small || ops[1]! < small + extra) throw new Error(`a run ended early (${ops.join(', ')} messages)`);
        if (dOps <= 0 || ir[1]! <= ir[0]!) throw new Error(`no difference between the runs (${ops.join(', ')} messages, ${ir.join(', ')} instructions)`);
        counts.set(load.id, { perOp: (ir[1]! - ir[0]!) / dOps, ops: dOps });
      } catch (err) {
        log(`${model} under ${load.id}: no instruction count: ${(err as Error).message}`);
      }
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return counts;
}
