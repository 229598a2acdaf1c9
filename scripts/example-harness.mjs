// What the example tests share: run an example as `pnpm example` does (compiled to dist/examples, run
// with plain node), wait for the line that says where it listens, and drive it with real loopback
// clients written on Node's net, so the clients do not depend on the code under test.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { compileExample } from './example.mjs';

const LISTENING = /listening on [^\s]*:(\d+)/;

/** Starts a server example with `args` and resolves once it printed `listening on <host>:<port>`. */
export async function startExample(pkg, name, args = ['0']) {
  const file = await compileExample(pkg, name);
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const port = await new Promise((resolve, reject) => {
    const onData = () => {
      const m = LISTENING.exec(out);
      if (m) { child.stdout.off('data', onData); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${pkg}/${name} exited (${code}) before listening:\n${out}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    port,
    child,
    output: () => out,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs an example to its end; resolves with its exit code and its output. */
export async function runExample(pkg, name, args = []) {
  const file = await compileExample(pkg, name);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A payload of `size` bytes that shows any reordering or loss. */
export function pattern(size, seed = 0) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return b;
}

/**
 * One TCP client. 'wait': sends, reads the whole echo, then ends. 'half-close': sends and at once
 * shuts its sending side down (shutdown(SD_SEND) — Node's end()), then reads until the server closes.
 * 'reset': sends, then closes with SO_LINGER {1, 0} (an RST), without reading. Resolves with what
 * came back (always empty for 'reset').
 */
export function echoClient(port, payload, ending) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let got = 0;
    const sock = connect(port, '127.0.0.1');
    sock.on('error', (err) => (ending === 'reset' ? resolve(Buffer.alloc(0)) : reject(err)));
    sock.on('connect', () => {
      if (ending === 'reset') {
        sock.write(payload, () => { sock.resetAndDestroy(); resolve(Buffer.alloc(0)); });
        return;
      }
      sock.write(payload);
      if (ending === 'half-close') sock.end();
    });
    sock.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (ending === 'wait' && got >= payload.length) sock.end();
    });
    sock.on('close', () => resolve(Buffer.concat(chunks)));
  });
}
