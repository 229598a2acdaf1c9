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

/**
 * The tests every package runs on its echo examples, written once. `vt` is vitest's module (passed in
 * so this file needs no vitest of its own). `server` is the echo server example; `client`, if given,
 * is the client example with what it prints once connected and when the connect is refused.
 */
export function echoExampleSuite(vt, { pkg, server, tag, client, halfCloseClients = 20 }) {
  const { afterAll, beforeAll, expect, test } = vt;
  let s;
  beforeAll(async () => { s = await startExample(pkg, server); });
  afterAll(async () => { await s?.stop(); });

  test(`${server} prints where it listens and echoes 3,000 bytes (several recvs) to a client that waits`, async () => {
    expect(s.output()).toMatch(new RegExp(`^\\${tag} echo server listening on 0\\.0\\.0\\.0:${s.port}`));
    const data = pattern(3000);
    expect((await echoClient(s.port, data, 'wait')).equals(data)).toBe(true);
  });

  // One after another, as `printf 'x\n' | nc -q1 127.0.0.1 9000` in a loop: data and FIN arrive before
  // the server accepts (2 bytes), or more than one recv takes (3,000 bytes) — the cases the textbook's
  // FD_CLOSE handling loses (async-select: 13 of 20 came back once; event-select with 3,000 bytes: 15).
  test(`${server} echoes every byte to ${halfCloseClients} clients in turn that send and half-close at once`, async () => {
    let echoed = 0;
    for (let i = 0; i < halfCloseClients; i++) {
      const data = i % 2 ? pattern(3000, i) : Buffer.from('x\n');
      if ((await echoClient(s.port, data, 'half-close')).equals(data)) echoed++;
    }
    expect(echoed).toBe(halfCloseClients);
  });

  test(`${server} echoes every byte to ${halfCloseClients} concurrent clients that send 3,000 bytes and half-close at once`, async () => {
    const sent = Array.from({ length: halfCloseClients }, (_, i) => pattern(3000, i));
    const echoed = await Promise.all(sent.map((d) => echoClient(s.port, d, 'half-close')));
    expect(echoed.filter((e, i) => e.equals(sent[i])).length).toBe(halfCloseClients);
  });

  test(`${server} keeps serving after 5 clients reset their connections (SO_LINGER 0)`, async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) => echoClient(s.port, pattern(3000, i), 'reset')));
    const data = pattern(1000, 9);
    expect((await echoClient(s.port, data, 'wait')).equals(data)).toBe(true);
    expect(s.running()).toBe(true);
  });

  test(`${server} answers a port in use with one line and exit code 1`, async () => {
    const r = await runExample(pkg, server, [String(s.port)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bind\(\) failed: WSAEADDRINUSE \(10048\)\n$/);
  });

  if (!client) return;
  test(`${client.name} connects, gets its message back, and reports a refused connect in one line`, async () => {
    const ok = await runExample(pkg, client.name, [String(s.port), '127.0.0.1', `hello, ${pkg}`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(client.connected);
    const n = `hello, ${pkg}`.length;
    expect(ok.stdout).toContain(`echoed ${n} of ${n} bytes: hello, ${pkg}`);
    const refused = await runExample(pkg, client.name, ['1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(client.refused);
    expect(refused.stderr.trim().split('\n').length).toBe(1);
  });
}
