#!/usr/bin/env node
// `pnpm prebuild`: the Node-API prebuilds shipped in core's tarball, made with prebuildify
// (--napi --strip --tag-libc): prebuilds/linux-x64/ with this machine's g++ and prebuilds/linux-arm64/
// cross-compiled with Debian's g++-aarch64-linux-gnu (installed here if missing). One binary per
// platform serves every Node with Node-API 8 (>= 20.19).
//
// Each build runs in a scratch copy of the native sources, because node-gyp rebuild wipes build/: the
// development build in build/Release (what the tests load) is never touched.
// The arches build side by side (node-gyp's make runs one job each).
// Usage: node scripts/prebuild.mjs [x64|arm64]...   (default: both)
import { cpSync, mkdtempSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir, arch as hostArch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { aptEnsure } from '../../../scripts/apt-ensure.mjs';
import { nodeHeadersDir } from './node-headers.mjs';

const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(pkg, 'package.json'));

/** Per target arch: the toolchain's env (empty for the host's own) and its Debian package. */
const CROSS = {
  arm64: { apt: ['g++-aarch64-linux-gnu', 'binutils-aarch64-linux-gnu'], prefix: 'aarch64-linux-gnu-' },
  x64: { apt: ['g++-x86-64-linux-gnu', 'binutils-x86-64-linux-gnu'], prefix: 'x86_64-linux-gnu-' },
};

if (process.platform !== 'linux') throw new Error('pnpm prebuild: linux only (the platforms core claims)');
const nodedir = nodeHeadersDir();
if (!nodedir) throw new Error(`pnpm prebuild: no Node headers beside ${process.execPath} (include/node); node-gyp would download them`);

const arches = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['x64', 'arm64'];
const prebuildify = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');
const nodeGyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
rmSync(join(pkg, 'prebuilds'), { recursive: true, force: true });

async function prebuild(arch) {
  if (!CROSS[arch]) throw new Error(`pnpm prebuild: unknown arch ${arch} (x64 or arm64)`);
  const env = { ...process.env, npm_config_nodedir: nodedir, PREBUILD_NODE_GYP: nodeGyp };
  if (arch !== hostArch()) {
    const { apt, prefix } = CROSS[arch];
    aptEnsure(apt);
    Object.assign(env, { CC: `${prefix}gcc`, CXX: `${prefix}g++`, LINK: `${prefix}g++`, AR: `${prefix}ar` });
    env.PREBUILD_STRIP_BIN = `${prefix}strip`;
  }
  const work = mkdtempSync(join(tmpdir(), `winsock-prebuild-${arch}-`));
  try {
    for (const entry of ['binding.gyp', 'package.json', 'src/native']) {
      cpSync(join(pkg, entry), join(work, entry), { recursive: true });
    }
    // binding.gyp asks node-addon-api for its include dir: the package's own copy.
    mkdirSync(join(work, 'node_modules'));
    symlinkSync(dirname(require.resolve('node-addon-api/package.json')), join(work, 'node_modules', 'node-addon-api'));
    const args = [prebuildify, `--target=${process.versions.node}`, '--napi', '--strip', '--tag-libc', `--arch=${arch}`, `--out=${pkg}`];
    let log = '';
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => { log += d; });
      child.stderr.on('data', (d) => { log += d; });
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`prebuild linux-${arch} failed:\n${log}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`prebuild: prebuilds/linux-${arch} done`);
}

// The cross-compilers are installed first (apt-get must not run twice at once).
for (const arch of arches) if (arch !== hostArch() && CROSS[arch]) aptEnsure(CROSS[arch].apt);
await Promise.all(arches.map(prebuild));
