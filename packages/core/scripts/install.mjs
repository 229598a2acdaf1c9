#!/usr/bin/env node
// core's install script. A source checkout (test/ is there: it is not published) always compiles the
// development build into build/Release, so the repo's tests test the current source. An installed
// package uses its prebuild (prebuilds/linux-x64, prebuilds/linux-arm64) when one loads here, and
// compiles nothing; only where none matches does it compile with node-gyp, after saying what that needs.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeHeadersDir } from './node-headers.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(pkg, 'package.json'));
const sourceCheckout = existsSync(join(pkg, 'test'));

function prebuildLoads() {
  let file;
  try {
    file = require('node-gyp-build').path(pkg);
  } catch {
    return false;
  }
  // In a child: a binary that does not load (wrong libc, too old a glibc) must not take this down.
  const r = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], { stdio: 'ignore' });
  return r.status === 0;
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

/** node-gyp: the package manager's own (npm sets npm_config_node_gyp), a local one, or on PATH. */
function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) {
    return [process.execPath, process.env.npm_config_node_gyp];
  }
  try {
    return [process.execPath, join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js')];
  } catch {
    return onPath('node-gyp') ? ['node-gyp'] : null;
  }
}

if (!sourceCheckout && prebuildLoads()) process.exit(0);

const gyp = nodeGyp();
const missing = [
  ...(onPath('python3') ? [] : ['python3']),
  ...(onPath('make') ? [] : ['make']),
  ...(onPath('c++') || onPath('g++') || onPath('clang++') ? [] : ['a C++17 compiler (g++ or clang++)']),
  ...(gyp ? [] : ['node-gyp (npm i -g node-gyp)']),
];
const why = sourceCheckout ? 'a source checkout builds the addon from src/native'
  : `no prebuilt addon for ${process.platform}-${process.arch} loads here (prebuilds ship for linux-x64 and linux-arm64, glibc)`;
if (missing.length > 0) {
  console.error(`@winsock-models/core: ${why}, so it must compile, which needs ${missing.join(', ')}: ` +
    'install them and reinstall.');
  process.exit(1);
}
console.error(`@winsock-models/core: ${why}; compiling it with node-gyp (python3, make, C++17).`);
const nodedir = nodeHeadersDir();  // this Node's own headers: nothing is downloaded when they are here
const args = ['rebuild', '--jobs=max', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const r = spawnSync(gyp[0], [...gyp.slice(1), ...args], { cwd: pkg, stdio: 'inherit' });
process.exit(r.status ?? 1);
