// One consumer of a published model package: a fresh folder outside the workspace, the package installed
// alone by one package manager from the test registry, with a PATH that has node and the package manager
// and no compiler and no make, a HOME and npm config of its own (so no nodedir), and nothing inherited
// from the workspace's environment.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, join } from 'node:path';

/** Runs a command to its end: { status, out } (stdout and stderr together). */
export function run(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (err) => resolve({ status: -1, out: out + String(err) }));
    child.on('close', (status) => resolve({ status, out }));
  });
}

/** A bin dir with only what installs and runs need: node and the package managers (no g++, cc, make). */
export function makeBin(dir, tools) {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(tools)) symlinkSync(target, join(dir, name));
  return dir;
}

export function consumerEnv(home, bin, registry) {
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.npmrc'), `registry=${registry}\nfund=false\naudit=false\nupdate-notifier=false\n`);
  writeFileSync(join(home, '.yarnrc'), `registry "${registry}"\n`);
  return { PATH: bin, HOME: home, LANG: 'C.UTF-8', TMPDIR: join(home, 'tmp') };
}

/** Installs `pkg` (and, for yarn 1, which installs no peers, its peer core) with `pm`; returns seconds taken. */
export async function install(pm, dir, env, registry, pkg, extra = []) {
  mkdirSync(dir, { recursive: true });
  mkdirSync(env.TMPDIR, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  const cmd = {
    npm: ['npm', ['install', '--no-audit', '--no-fund', `--registry=${registry}`, pkg]],
    pnpm: ['pnpm', ['add', `--registry=${registry}`, `--store-dir=${join(env.HOME, 'pnpm-store')}`, pkg]],
    // yarn 1's cache is not safe for two installs at once: one per consumer.
    yarn: ['yarn', ['add', '--non-interactive', `--registry=${registry}`, `--cache-folder=${join(env.HOME, `yarn-cache-${basename(dir)}`)}`, pkg, ...extra]],
  }[pm];
  const start = process.hrtime.bigint();
  const r = await run(cmd[0], cmd[1], { cwd: dir, env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${pm} ${cmd[1].join(' ')} failed (${r.status}):\n${r.out}`);
  return { seconds, output: r.out };
}

/** Every package name installed under dir/node_modules (pnpm's virtual store included), once each. */
export function installedPackages(dir) {
  const names = new Set();
  const scan = (nm) => {
    if (!existsSync(nm)) return;
    for (const entry of readdirSync(nm)) {
      if (entry === '.bin' || entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@') ? readdirSync(join(nm, entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const name of scoped) {
        names.add(name);
        scan(join(nm, name, 'node_modules'));
      }
    }
  };
  scan(join(dir, 'node_modules'));
  const store = join(dir, 'node_modules', '.pnpm');
  if (existsSync(store)) {
    for (const id of readdirSync(store)) if (existsSync(join(store, id, 'node_modules'))) scan(join(store, id, 'node_modules'));
  }
  return [...names].sort();
}

/**
 * Runs the package's echo server example (format 'js' for ESM, 'cjs'), on a port it picks, until it
 * says where it listens; a real loopback client sends bytes and gets every one back; then the
 * package's own echo client example (the other format) does the same. Returns the bytes echoed.
 */
export async function runExamples(dir, env, pkg, serverFormat, clientFormat) {
  const examples = join(dir, 'node_modules', pkg, 'dist', 'examples');
  const server = spawn('node', [join(examples, `echo-server.${serverFormat}`), '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stderr.on('data', (d) => { out += d; });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => {
        out += d;
        const m = /listening on [\d.]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server.once('exit', (code) => reject(new Error(`echo-server.${serverFormat} exited (${code}) before listening:\n${out}`)));
    });
    const message = Buffer.alloc(3000, 'winsock-models ');
    const echoed = await new Promise((resolve, reject) => {
      const chunks = [];
      let got = 0;
      const sock = connect(port, '127.0.0.1', () => sock.write(message));
      sock.on('data', (d) => {
        chunks.push(d);
        got += d.length;
        if (got >= message.length) sock.end();
      });
      sock.on('error', reject);
      sock.on('close', () => resolve(Buffer.concat(chunks)));
    });
    if (!echoed.equals(message)) throw new Error(`echo-server.${serverFormat}: ${echoed.length} of ${message.length} bytes came back intact`);
    const clientFile = join(examples, `echo-client.${clientFormat}`);
    let clientLine = 'no echo-client example';
    if (existsSync(clientFile)) {
      const r = await run('node', [clientFile, String(port), '127.0.0.1', 'hello from the release test'], { cwd: dir, env });
      if (r.status !== 0) throw new Error(`echo-client.${clientFormat} against echo-server.${serverFormat} failed (${r.status}):\n${r.out}`);
      clientLine = r.out.trim().split('\n').pop();
    }
    return { bytes: echoed.length, clientLine };
  } finally {
    server.kill('SIGTERM');
  }
}

const MODES = {
  node10: { module: 'commonjs', moduleResolution: 'node10', files: ['consumer.ts'] },
  node16: { module: 'node16', moduleResolution: 'node16', files: ['consumer.ts', 'consumer.mts'] },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['consumer.ts', 'consumer.mts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['consumer.ts'] },
};

/** Type-checks a TypeScript consumer of pkg under each resolution mode; throws with tsc's output. */
export async function typecheck(dir, env, pkg, tsc, typeRoots, modes = Object.keys(MODES)) {
  const code = [
    `import * as m from '${pkg}';`,
    `import { WSAStartup, MAKEWORD, WSADATA, socket, AF_INET, SOCK_STREAM, type SOCKET } from '${pkg}';`,
    'const ok: number = WSAStartup(MAKEWORD(2, 2), new WSADATA());',
    'const s: SOCKET = socket(AF_INET, SOCK_STREAM, 0);',
    'export const used = [ok, s, Object.keys(m).length];',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'consumer.ts'), code);
  writeFileSync(join(dir, 'consumer.mts'), code);
  for (const mode of modes) {
    const { module, moduleResolution, files } = MODES[mode];
    const config = join(dir, `tsconfig.${mode}.json`);
    writeFileSync(config, JSON.stringify({
      compilerOptions: {
        module, moduleResolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false,
        types: ['node'], typeRoots: [typeRoots], esModuleInterop: true,
      },
      files,
    }, null, 2));
    const r = await run('node', [tsc, '-p', config], { cwd: dir, env });
    if (r.status !== 0) throw new Error(`tsc (${mode}) on a consumer of ${pkg}:\n${r.out}`);
  }
  return modes;
}
