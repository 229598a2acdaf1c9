// pnpm test:asan: builds the addon with AddressSanitizer and UBSan into packages/core/.asan and runs
// the test suites against it (node with libasan preloaded; WINSOCK_MODELS_ADDON points binding.ts at
// the sanitized build). Fails on any failed test and on any sanitizer report, which a test that
// passes anyway (a child process, a worker) could otherwise hide.
//
//   node scripts/test-asan.mjs [package-dir ...]   default: every package under packages/
//   node scripts/test-asan.mjs --ci                 core's suite (every never-crash test, the fuzz and
//                                                   its workers) and the overlapped models' and iocp's
//                                                   tests but their examples: the part of it `pnpm test`
//                                                   runs, since the sanitized build and every suite
//                                                   under ASan would take CI past its time budget
//
// Leak detection is off: Node itself keeps allocations alive at exit by design.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, symlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeHeadersDir } from '../packages/core/scripts/node-headers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = join(root, 'packages', 'core');
const out = join(core, '.asan');
// -O1 -g1 (after gyp's -O3, so it wins), as the sanitizers' own docs advise: the build takes under half
// the CPU of -O3 -g (measured on overlapped.cc: 12.0 s against 26.5 s), which keeps CI within its 15
// minutes. Not -O0 (5.4 s): its code ran the select-in-a-loop fixture 10x slower than a normal build,
// past its time limit. -g1 keeps the line tables a report's stack needs.
const sanitize = '-O1 -g1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

function runtime(name) {
  const r = run('gcc', [`-print-file-name=${name}`], { capture: true });
  const path = r.stdout.trim();
  if (!path.startsWith('/')) throw new Error(`test:asan: gcc does not know ${name} (install gcc's sanitizer runtimes)`);
  return path;
}

// The sanitized addon, built beside the package from the same binding.gyp and sources.
mkdirSync(out, { recursive: true });
copyFileSync(join(core, 'binding.gyp'), join(out, 'binding.gyp'));
for (const link of ['src', 'node_modules']) if (!existsSync(join(out, link))) symlinkSync(join('..', link), join(out, link));
const env = { ...process.env, CXXFLAGS: sanitize, LDFLAGS: '-fsanitize=address,undefined' };
const gyp = join(core, 'node_modules', '.bin', 'node-gyp');
// configure every time (a second or two): binding.gyp may have changed; make rebuilds only what did.
// The running Node's own headers: node-gyp must never download them (CI may have no network).
const nodedir = nodeHeadersDir();
if (!nodedir) throw new Error(`test:asan: no Node headers beside ${process.execPath} (include/node)`);
if (run(gyp, ['configure', `--nodedir=${nodedir}`], { cwd: out, env }).status !== 0) process.exit(1);
if (run(gyp, ['build', '-j', '2'], { cwd: out, env }).status !== 0) process.exit(1);
const addon = join(out, 'build', 'Release', 'winsock_core.node');

const args = process.argv.slice(2);
// --ci also runs the overlapped models' own tests (moved out of core's suite, issue 18), not their examples.
// And iocp's: its ports are native code shared between threads (iocp.cc).
const ciOnly = { [join('packages', 'overlapped-event')]: ['--exclude', '**/examples-*.test.ts'],
  [join('packages', 'overlapped-routine')]: ['--exclude', '**/examples-*.test.ts'],
  [join('packages', 'iocp')]: ['--exclude', '**/examples-*.test.ts'] };
const packages = args.includes('--ci') ? [join('packages', 'core'), ...Object.keys(ciOnly)]
  : args.length > 0 ? args
  : readdirSync(join(root, 'packages')).map((p) => join('packages', p)).filter((p) => existsSync(join(root, p, 'vitest.config.ts')));

const testEnv = {
  ...process.env,
  WINSOCK_MODELS_ADDON: addon,
  LD_PRELOAD: `${runtime('libasan.so')} ${runtime('libubsan.so')}`,
  ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:print_summary=1',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  WINSOCK_MODELS_ASAN: '1',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};
let failed = 0;
let reports = 0;
for (const pkg of packages) {
  console.log(`\n== test:asan ${pkg}`);
  const r = run(join(root, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=dot', ...(args.includes('--ci') ? ciOnly[pkg] ?? [] : [])], { cwd: join(root, pkg), env: testEnv, capture: true });
  const text = `${r.stdout}${r.stderr}`;
  process.stdout.write(r.stdout.split('\n').slice(-12).join('\n'));
  // The dot reporter names no failed test: say which, and why, from vitest's failure lines.
  const failures = text.split('\n').filter((l) => /^\s*(FAIL|AssertionError|Error:)/.test(l));
  if (failures.length) console.log(failures.slice(0, 20).join('\n'));
  const found = text.match(/ERROR: AddressSanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer/g) ?? [];
  if (found.length) {
    reports += found.length;
    console.log(text.split('\n').filter((l) => /Sanitizer|runtime error|#\d+ 0x/.test(l)).slice(0, 40).join('\n'));
  }
  if (r.status !== 0) failed++;
}
console.log(`\ntest:asan: ${packages.length} packages, ${failed} failed, ${reports} sanitizer reports`);
process.exit(failed || reports ? 1 : 0);
