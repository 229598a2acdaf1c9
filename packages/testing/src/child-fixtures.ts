// Runs a fixture script in a child Node process, so a test can pin "no crash, no abort, no hang" for
// scenarios that would take the test's own process down. The one place that builds a child's command
// line: it passes process.env through, so the same scripts run under ASan with LD_PRELOAD (and
// ASAN_OPTIONS) set by whoever runs the tests (scripts/test-asan.mjs).
import { spawn } from 'node:child_process';
import { deepStrictEqual } from 'node:assert';
import { fileURLToPath } from 'node:url';

/** Every child is killed after this long; a hang is then reported with what it printed. */
export const FIXTURE_TIMEOUT_MS = 20_000;

export interface FixtureRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout, one entry per line, empty lines dropped. */
  lines: string[];
  /** A summary for assertion messages: how it ended, then what it printed. */
  report: string;
}

/** The command line of a fixture script: node flags (with --expose-gc), the script, its arguments. */
export function fixtureCommand(script: URL, args: readonly string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--expose-gc', fileURLToPath(script), ...args] };
}

/**
 * The fixtures of one folder: runFixture('name.mjs', args) runs dir/name.mjs. Bind it once per folder
 * of scripts: `export const { runFixture } = fixtureFolder(new URL('./', import.meta.url))`.
 */
export function fixtureFolder(dir: URL) {
  return {
    runFixture: (name: string, args: readonly string[] = [], timeoutMs = FIXTURE_TIMEOUT_MS) =>
      runFixtureScript(new URL(`./${name}`, dir), args, timeoutMs),
    fixtureCommand: (name: string, args: readonly string[] = []) => fixtureCommand(new URL(`./${name}`, dir), args),
  };
}

export function runFixtureScript(script: URL, args: readonly string[] = [],
  timeoutMs: number = FIXTURE_TIMEOUT_MS): Promise<FixtureRun> {
  const { command, args: argv } = fixtureCommand(script, args);
  const name = script.pathname.split('/').pop();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    // A watchdog, not a wait: a child that ends by itself clears it.
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const how = timedOut ? `HUNG (killed after ${timeoutMs} ms)` : `exit code ${code}, signal ${signal}`;
      const report = `${name} ${args.join(' ')}: ${how}\n--- stdout ---\n${stdout}--- stderr ---\n${stderr.slice(0, 4000)}`;
      resolve({ code, signal, timedOut, stdout, stderr, lines: stdout.split('\n').filter((l) => l !== ''), report });
    });
  });
}

/** How a run ended, for one assertion: `{ code: 0, signal: null, timedOut: false }` when clean. */
export function ending(run: FixtureRun): { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean } {
  return { code: run.code, signal: run.signal, timedOut: run.timedOut };
}

/** The value of the first `key=value` token printed on a line starting with `tag` (undefined if none). */
export function field(run: FixtureRun, tag: string, key: string): string | undefined {
  for (const line of run.lines) {
    if (!line.startsWith(tag)) continue;
    const m = new RegExp(`(?:^|\\s)${key}=(\\S+)`).exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** The run ended by itself with exit code 0: no signal, no abort (134), no hang. */
export function expectCleanExit(run: FixtureRun): void {
  deepStrictEqual(ending(run), { code: 0, signal: null, timedOut: false }, run.report);
}

/** The lines printed that start with tag. */
export function linesStarting(run: FixtureRun, tag: string): string[] {
  return run.lines.filter((l) => l.startsWith(tag));
}
