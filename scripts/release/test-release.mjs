#!/usr/bin/env node
// pnpm test:release — the release, proven end to end through a real registry:
//  1. verdaccio on 127.0.0.1 with local storage (scripts/release/verdaccio.mjs);
//  2. a scratch copy of this checkout, versioned with `changeset version` and published to it with the
//     repo's own `pnpm release` (prebuild, build, changeset publish);
//  3. for each model package and package manager (npm, pnpm 10, yarn 1): a fresh folder outside the
//     workspace, the package installed alone with no compiler and no make on PATH and no nodedir; only
//     core, that model and core's runtime dependencies installed; no compile; the package's examples
//     run in ESM and CommonJS against a real loopback client; a TypeScript consumer type-checks under
//     node10, node16, nodenext and bundler resolution.
// RELEASE_TEST_KEEP=1 keeps the temporary directory; RELEASE_TEST_PMS / RELEASE_TEST_PACKAGES narrow the
// matrix (comma-separated).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVerdaccio } from './verdaccio.mjs';
import { makeScratch } from './scratch.mjs';
import { consumerEnv, install, installedPackages, makeBin, runExamples, typecheck } from './consumer.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const MODELS = ['select', 'async-select', 'event-select', 'overlapped-event', 'overlapped-routine', 'iocp'];
const PMS = ['npm', 'pnpm', 'yarn'];
const pick = (env, all) => (process.env[env] ? process.env[env].split(',').filter((x) => all.includes(x)) : all);
const models = pick('RELEASE_TEST_PACKAGES', MODELS);
const pms = pick('RELEASE_TEST_PMS', PMS);

const work = realpathSync(mkdtempSync(join(tmpdir(), 'winsock-release-')));
const step = (what) => console.log(`[test:release] ${new Date().toISOString().slice(11, 19)} ${what}`);
let registry;
let failed = false;
try {
  registry = await startVerdaccio(join(work, 'registry'));
  step(`verdaccio ${registry.url}`);

  const scratch = join(work, 'scratch');
  makeScratch(root, scratch);
  const host = registry.url.replace(/^http:/, '');
  writeFileSync(join(scratch, '.npmrc'), readFileSync(join(scratch, '.npmrc'), 'utf8') +
    `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  const inScratch = (cmd, args) => execFileSync(cmd, args, { cwd: scratch, stdio: 'inherit',
    env: { ...process.env, npm_config_registry: registry.url, JOBS: 'max' } });
  step('changeset version');
  inScratch('pnpm', ['exec', 'changeset', 'version']);
  step('pnpm release');
  inScratch('pnpm', ['release']);
  const version = (name) => JSON.parse(readFileSync(join(scratch, 'packages', name, 'package.json'), 'utf8')).version;
  const coreVersion = version('core');
  const coreDeps = Object.keys(JSON.parse(readFileSync(join(scratch, 'packages/core/package.json'), 'utf8')).dependencies);
  step(`published core ${coreVersion}, ${MODELS.map((m) => `${m} ${version(m)}`).join(', ')}`);

  // No g++, cc, c++, make or python on this PATH: only node, sh and the package managers.
  const which = (cmd) => execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  const bin = makeBin(join(work, 'bin'), {
    node: process.execPath,
    sh: which('sh'),  // npm and yarn run install scripts with sh
    npm: which('npm'),
    npx: which('npx'),
    pnpm: which('pnpm'),
    yarn: join(dirname(require.resolve('yarn/package.json')), 'bin', 'yarn.js'),
  });
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const typeRoots = join(dirname(require.resolve('@types/node/package.json')), '..');

  // Every package manager x model pair gets its own folder, install, package check and example runs,
  // two at a time. Types: all four resolution modes in the npm consumers; node10 (no exports map) and
  // nodenext (exports, symlinks resolved) in the pnpm and yarn ones, whose layouts differ from npm's
  // only in where the files sit. RELEASE_TEST_JOBS sets how many run at once.
  const times = [];
  const envs = Object.fromEntries(pms.map((pm) => [pm, consumerEnv(join(work, `home-${pm}`), bin, registry.url)]));
  // --ci (what `pnpm test`, hence CI, runs): every model with npm, and one model each with pnpm and
  // yarn, whose layouts differ from npm's only in where files sit; the full matrix took CI past its
  // 15 minutes (15m26s measured). Without --ci: every model with every package manager.
  const ci = process.argv.includes('--ci');
  const CI_ONLY = { pnpm: 'overlapped-routine', yarn: 'select' };
  const jobs = pms.flatMap((pm) => models.filter((m) => !ci || pm === 'npm' || CI_ONLY[pm] === m).map((model) => ({ pm, model })));
  const one = async ({ pm, model }) => {
    const env = envs[pm];
    const pkg = `@winsock-models/${model}`;
    const dir = join(work, `${pm}-${model}`);
    // yarn 1 installs no peer dependencies: core is named, at the range the model asks for.
    const peer = pm === 'yarn' ? [`@winsock-models/core@${await peerRange(registry.url, pkg)}`] : [];
    const { seconds, output } = await install(pm, dir, env, registry.url, pkg, peer);
    if (/gyp info|CXX\(target\)|compiling it with node-gyp/.test(output)) throw new Error(`${pm} ${pkg}: the install compiled:\n${output}`);
    const installed = installedPackages(dir);
    const expected = [pkg, '@winsock-models/core', ...coreDeps].sort();
    if (JSON.stringify(installed) !== JSON.stringify(expected)) {
      throw new Error(`${pm} ${pkg}: installed ${installed.join(', ')}; expected exactly ${expected.join(', ')}`);
    }
    // The model's peer range (^ the core it was released and tested with) takes the core published with it.
    const fromModel = createRequire(realpathSync(join(dir, 'node_modules', pkg, 'package.json')));
    const installedCore = JSON.parse(readFileSync(fromModel.resolve('@winsock-models/core/package.json'), 'utf8')).version;
    if (installedCore !== coreVersion) throw new Error(`${pm} ${pkg}: installed core ${installedCore}, published ${coreVersion}`);
    const esm = await runExamples(dir, env, pkg, 'js', 'cjs');
    const cjs = await runExamples(dir, env, pkg, 'cjs', 'js');
    const modes = await typecheck(dir, env, pkg, tsc, typeRoots, pm === 'npm' ? undefined : ['node10', 'nodenext']);
    times.push({ pm, model, seconds });
    step(`${pm} ${pkg}: installed in ${seconds.toFixed(1)} s (${installed.join(', ')}; no compile); ` +
      `echo-server ESM and CJS echoed ${esm.bytes} and ${cjs.bytes} bytes, echo-client: "${esm.clientLine}"; ` +
      `types ok under ${modes.join(', ')}`);
  };
  const queue = [...jobs];
  const width = Number(process.env.RELEASE_TEST_JOBS ?? 2);
  await Promise.all(Array.from({ length: width }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await one(job);
  }));
  for (const pm of pms) {
    const t = times.filter((x) => x.pm === pm).map((x) => x.seconds);
    step(`${pm}: install ${Math.min(...t).toFixed(1)}–${Math.max(...t).toFixed(1)} s per model package`);
  }
  step('passed');
} catch (err) {
  failed = true;
  console.error(`[test:release] FAILED: ${err.stack ?? err}`);
  if (registry) console.error(`[test:release] verdaccio log:\n${registry.log().slice(-4000)}`);
} finally {
  await registry?.stop();
  if (process.env.RELEASE_TEST_KEEP) console.log(`[test:release] kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** The published model's peer range for core, from the registry. */
async function peerRange(url, pkg) {
  // node:http with a fresh connection (fetch's pooled sockets meet verdaccio's closed keep-alives).
  const body = await new Promise((resolve, reject) => {
    get(`${url}${pkg.replace('/', '%2f')}`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${pkg}: ${res.statusCode}`))));
    }).on('error', reject);
  });
  const meta = JSON.parse(body);
  return meta.versions[meta['dist-tags'].latest].peerDependencies['@winsock-models/core'];
}
