// The browser test opens the tour's page in Debian's chromium (driven by playwright-core): install it
// when it is missing, as root with apt (what `.ci/run` has on a fresh machine). Elsewhere, say how.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  // A fresh machine may have no package lists yet: update once if the first install fails.
  if (run(['install', '-y', 'chromium']).status !== 0) {
    run(['update']);
    const again = run(['install', '-y', 'chromium']);
    if (again.status !== 0) throw new Error(`apt-get install chromium failed (status ${again.status})`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
