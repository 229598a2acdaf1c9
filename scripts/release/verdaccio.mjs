// A real registry for the release test: verdaccio (the repo's pinned devDependency) on 127.0.0.1, with
// its storage and config in a temporary directory. Our packages are published to it and never looked up
// elsewhere; anything else (core's runtime dependencies) comes through an uplink to the npm registry.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startVerdaccio(dir) {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    `storage: ${join(dir, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${join(dir, 'htpasswd')}`,
    '    max_users: 10',
    'uplinks:',
    '  npmjs:',
    `    url: ${process.env.RELEASE_TEST_UPLINK ?? 'https://registry.npmjs.org/'}`,
    '    timeout: 60s',
    'packages:',
    "  '@winsock-models/*':",
    '    access: $all',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: npmjs',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  const bin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}/`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Ready when it answers /-/ping (polled; a dead server ends the wait at once).
  for (;;) {
    const alive = await Promise.race([fetch(`${url}-/ping`).then((r) => r.ok, () => false), exited.then(() => 'exit')]);
    if (alive === true) break;
    if (alive === 'exit') throw new Error(`verdaccio exited before answering:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A publisher account: the registry issues its token as for `npm adduser`.
  const res = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release-test', password: 'release-test-password' }),
  });
  if (!res.ok) throw new Error(`verdaccio adduser: ${res.status} ${await res.text()}`);
  const { token } = await res.json();
  return {
    url,
    token,
    log: () => log,
    stop: () => { child.kill('SIGTERM'); return exited; },
  };
}
