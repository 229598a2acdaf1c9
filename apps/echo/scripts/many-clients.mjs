#!/usr/bin/env node
// The many-clients check: starts a model's echo server in a child process, then connects N clients at
// once (Node's net, from this process). Each sends a message, checks its echo byte for byte, and sends
// again at once (ping-pong), so the clients already served keep the server busy while the others wait
// in the backlog: a server that accepts one connection per loop turn starves them. It passes when
// every client got its first echo within the deadline; it prints how many were served, when the last
// one was, and exits 1 otherwise.
//   node scripts/many-clients.mjs <model> [clients=5000] [deadline seconds=30] [size=64]
// Needs about clients + 100 descriptors in each process (ulimit -n). Issue 15's bar: 5,000 clients,
// every one served within 30 s, for event-select-groups and async-select.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const [model = 'event-select-groups', N = '5000', D = '30', S = '64'] = process.argv.slice(2);
const clients = Number(N), deadlineMs = Number(D) * 1000, size = Number(S);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const server = spawn(process.execPath, [cli, '--model', model, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => { const m = /listening on [^:]+:(\d+)/.exec(String(d)); if (m) resolve(Number(m[1])); });
  server.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
});

const start = Date.now();
let served = 0, failed = 0, last = 0;
const sockets = [];
const finished = new Promise((resolve) => {
  const settle = () => { if (served + failed === clients) resolve(); };
  for (let i = 0; i < clients; i++) {
    const payload = Buffer.alloc(size, i % 251);
    const got = [];
    let n = 0, done = false;
    const s = connect({ port, host: '127.0.0.1' });
    sockets.push(s);
    const finish = (ok) => {
      if (done) return;
      done = true;
      if (ok) { served++; last = Date.now() - start; } else failed++;
      settle();
    };
    s.on('connect', () => s.write(payload));
    s.on('data', (d) => {
      got.push(d);
      n += d.length;
      if (n < size) return;
      const whole = Buffer.concat(got);
      if (n !== size || !whole.equals(payload)) { finish(false); return; }
      finish(true);
      got.length = 0;
      n = 0;
      s.write(payload);  // and again, until the check ends
    });
    s.on('error', () => finish(false));
    s.on('close', () => finish(false));  // no effect once served
  }
});
const timer = new Promise((resolve) => setTimeout(resolve, deadlineMs));
await Promise.race([finished, timer]);
const elapsed = Date.now() - start;
for (const s of sockets) s.destroy();
server.kill('SIGTERM');
const ok = served === clients;
console.log(`${model}: ${served}/${clients} clients served (${failed} failed, ${clients - served - failed} unserved) ` +
  `in ${ok ? last : elapsed} ms; deadline ${deadlineMs} ms: ${ok ? 'PASS' : 'FAIL'}`);
process.exit(ok ? 0 : 1);
