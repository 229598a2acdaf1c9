#!/usr/bin/env node
// Installs Debian packages a script needs, if missing: `node scripts/apt-ensure.mjs pkg...`.
// The repo's scripts call it (the arm64 cross-compiler for `pnpm prebuild`, qemu-user for the arm64
// test), so nothing has to be installed by hand. apt-get runs as root, or through sudo when present.
import { execFileSync, spawnSync } from 'node:child_process';

export function aptEnsure(packages) {
  const missing = packages.filter((p) =>
    spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  console.log(`apt-ensure: installing ${missing.join(' ')}`);
  try {
    run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  } catch {
    run(['apt-get', 'update']);  // a fresh machine has no package lists yet
    run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) aptEnsure(process.argv.slice(2));
