// User-space instructions per echoed message: the figure that does not move with the machine's noise.
//
// Each server runs once more under valgrind's callgrind, with instrumentation off while it starts
// (--instr-atstart=no: starting node under it takes minutes otherwise) and during a long warm-up run
// (WARM_MESSAGES), so that V8's optimising compiler has compiled the hot code: its compiles run on
// background threads, and valgrind runs one thread at a time, so under instrumentation they take
// minutes of wall time and land in the counted runs at random. Instrumentation is then switched on
// (`callgrind_control -i on`), a short run warms it, and the counters are zeroed. Then PAIRS pairs of
// runs, each ending after an exact number of echoed messages (`--messages`), a small and a large one,
// the counters dumped (and so zeroed) after each once the server has closed that run's connections.
// Both sizes connect and close the same connections, so their difference is messages only:
//
//   instructions per message = (median Ir(large) - median Ir(small)) / (messages(large) - messages(small))
//
// The medians drop one run that a major GC or a deoptimisation landed in.
//
// Ir is counted per thread (--separate-threads=yes) and summed over the server's event-loop threads:
// the main thread and any worker_threads Worker (the IOCP server's), told apart by libuv's loop having
// run in them. V8's platform threads (background compiler, concurrent marking, parallel scavenges) are
// excluded: counted with them, two counts of the same select server gave 24.7k and 105k per message;
// without them they agree within a few percent. Their total over every thread is reported beside it
// (allThreadsPerOp) for information. The kernel's work is not in Ir. Under callgrind a server runs some
// 50x slower, which changes nothing in what it executes per message, and the count does not depend on
// how fast or busy the machine is.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoadgen, type LoadgenResult } from './loadgen.js';
import type { Load } from './loads.js';
import { startServer } from './server-process.js';
import { openFds, settle } from './settle.js';

/** Messages in the small run, and how many more the large one echoes (per load: see messagesFor). */
export function messagesFor(load: Load): { small: number; extra: number } {
  if (load.mode === 'stream') return { small: 100, extra: 1000 };  // 64 KiB chunks
  // The in-flight messages at a run's end (one per connection) must stay small beside the difference.
  return { small: Math.max(2000, 2 * load.connections), extra: Math.max(20_000, 20 * load.connections) };
}
/**
 * Messages of the warm-up runs: uninstrumented, long enough for V8 to have compiled the server's hot
 * code with its optimising compiler (its background compiles take wall time, far more under
 * valgrind: counted too early, a server runs unoptimised code at several times the instructions);
 * then a short one instrumented. Uninstrumented, 100,000 messages take 15-45 s at 64 connections.
 */
export const WARM_MESSAGES = 100_000, WARM_INSTRUMENTED = 2_000;
/** `messages` small messages' worth of a load's runs: a 64 KiB chunk is worth about 10 small messages' time. */
export const worthOf = (load: Load, messages: number): number => Math.round(messages / (load.mode === 'stream' ? 10 : 1));

/**
 * A run of the load generator under `load` against the server at `port` that ends after exactly
 * `messages` echoed messages (chunks streaming): the runs every count (instructions, system calls) is
 * made of.
 */
export function exactRun(port: number, load: Load, messages: number): Promise<LoadgenResult> {
  return runLoadgen({ port, mode: load.mode, connections: load.connections, size: load.size, seconds: 3600, warmup: 0, messages });
}

export interface InstructionCount {
  /** User-space instructions per message (ping-pong) or per 64 KiB chunk (stream). */
  perOp: number;
  /** Messages (or chunks) the difference of the two runs is over. */
  ops: number;
  /** The same over every thread of the process, V8's helper threads included (not reproducible). */
  allThreadsPerOp?: number;
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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const run = (cmd: string, args: string[]) => new Promise<string>((resolve, reject) => {
  execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
});

/** One thread's part of a dump: its instructions, and whether it runs an event loop (main or worker). */
export interface ThreadCount { thread: number; ir: number; eventLoop: boolean }

/**
 * A thread runs an event loop when libuv's loop ran in it during the window: Node's main thread and a
 * worker_threads Worker (the IOCP server's) do; V8's platform threads (its background compiler and
 * its concurrent and parallel GC) and libuv's thread pool do not.
 */
const EVENT_LOOP_FN = /^fn=(?:\(\d+\) )?(?:uv_run|uv__io_poll)$/m;

/**
 * The per-thread totals of the dump just asked for (its files then removed). With
 * --separate-threads=yes a dump is one file per thread, base.<pid>.<dump>-<thread>. callgrind_control
 * may answer before the dump is written (valgrind acts on the command when the server next runs):
 * wait until the dump's files are all complete (each ends with its totals) and no new one appears.
 */
export async function takeDump(dir: string): Promise<ThreadCount[]> {
  let seen = '', stable = 0;
  for (let i = 0; i < 1200; i++) {
    const files = readdirSync(dir).filter((f) => /^base\.\d+\.\d+-\d+$/.test(f)).sort();
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    const complete = files.length > 0 && texts.every((t) => /^totals: \d+/m.test(t));
    stable = complete && files.join() === seen ? stable + 1 : 0;
    seen = files.join();
    if (stable >= 3) {
      const keep = process.env.BENCH_INSTR_KEEP;  // a directory: keep the dumps there (callgrind_annotate)
      for (const f of files) if (keep) renameSync(join(dir, f), join(keep, f)); else rmSync(join(dir, f));
      return files.map((f, k) => ({ thread: Number(/-(\d+)$/.exec(f)![1]), ir: Number(/^totals: (\d+)/m.exec(texts[k]!)![1]),
        eventLoop: EVENT_LOOP_FN.test(texts[k]!) }));
    }
    await sleep(100);
  }
  throw new Error('callgrind wrote no complete dump');
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
/** Pairs of (small, large) runs counted: the medians of each size drop one run that a major GC or a late compile landed in. */
export const PAIRS = 3;

/**
 * Counts one server's instructions per message under each load, in one callgrind process. A load
 * whose runs fail is left out of the answer (the error is logged).
 */
export async function countInstructions(model: string, loads: Load[], log: (line: string) => void):
  Promise<Map<string, InstructionCount>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-callgrind-'));
  const counts = new Map<string, InstructionCount>();
  const server = await startServer(model, [], ['valgrind', '-q', '--tool=callgrind', '--instr-atstart=no',
    '--separate-threads=yes', '--compress-strings=no', '--dump-instr=no', '--dump-line=no',
    `--callgrind-out-file=${join(dir, 'base.%p')}`]);
  const pid = String(server.child.pid);
  try {
    for (const load of loads) {
      try {
        const go = (messages: number) => exactRun(server.port, load, messages);
        let fds = openFds(server.child.pid!);
        const t0 = Date.now();
        await go(worthOf(load, WARM_MESSAGES));
        await settle(server.child.pid!, fds);
        fds = openFds(server.child.pid!);  // what the server keeps between runs
        await run('callgrind_control', ['-i', 'on', pid]);
        await go(worthOf(load, WARM_INSTRUMENTED));
        await settle(server.child.pid!, fds);
        await run('callgrind_control', ['-z', pid]);
        const t1 = Date.now();
        const { small, extra } = messagesFor(load);
        const windows: { messages: number; ops: number; loop: number; all: number; threads: ThreadCount[] }[] = [];
        for (let k = 0; k < PAIRS; k++) {
          for (const messages of [small, small + extra]) {
            const r = await go(messages);
            await settle(server.child.pid!, fds);
            await run('callgrind_control', ['-d', pid]);
            const threads = await takeDump(dir);
            if (r.allRoundTrips < messages) throw new Error(`a run ended early (${r.allRoundTrips} of ${messages} messages)`);
            // A server without libuv (c-epoll, one thread) has no event-loop thread: count all of it.
            const loop = threads.some((t) => t.eventLoop) ? threads.filter((t) => t.eventLoop) : threads;
            windows.push({ messages, ops: r.allRoundTrips, threads, loop: sum(loop.map((t) => t.ir)),
              all: sum(threads.map((t) => t.ir)) });
          }
        }
        await run('callgrind_control', ['-i', 'off', pid]);
        const of = (m: number, f: (w: typeof windows[number]) => number) => median(windows.filter((w) => w.messages === m).map(f));
        const dOps = of(small + extra, (w) => w.ops) - of(small, (w) => w.ops);
        const dLoop = of(small + extra, (w) => w.loop) - of(small, (w) => w.loop);
        const dAll = of(small + extra, (w) => w.all) - of(small, (w) => w.all);
        if (dOps <= 0 || dLoop <= 0) throw new Error(`no difference between the runs (${windows.map((w) => `${w.ops}: ${w.loop}`).join(', ')})`);
        const perOp = dLoop / dOps, allPerOp = dAll / dOps;
        log(`${model} ${load.id}: ${Math.round(perOp)} instructions per message in the event-loop thread(s) ` +
          `${windows[1]!.threads.filter((t) => t.eventLoop).map((t) => t.thread).join(',')} (all threads: ` +
          `${Math.round(allPerOp)}), over ${dOps} messages; windows ${windows.map((w) => `${w.ops}:${(w.loop / 1e6).toFixed(1)}M`).join(' ')}; ` +
          `warm-up ${Math.round((t1 - t0) / 1000)} s, counted ${Math.round((Date.now() - t1) / 1000)} s`);
        counts.set(load.id, { perOp, ops: dOps, allThreadsPerOp: allPerOp });
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
