#!/usr/bin/env node
// A small standalone round-trip meter (the real benchmark lives in apps/bench): starts an echo server
// model in a child process, drives C connections doing S-byte ping-pong for T seconds from this process,
// and prints round trips per second and the server's CPU per round trip (steadier than throughput on a
// shared machine). Usage: node scripts/ping-pong.mjs <model> [C=64] [S=64] [T=5]  (PROF=1: --cpu-prof)
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [model = 'event-select', C = '64', S = '64', T = '5'] = process.argv.slice(2);
const conns = Number(C), size = Number(S), seconds = Number(T);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), cli, '--model', model, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => { const m = /listening on [^:]+:(\d+)/.exec(String(d)); if (m) resolve(Number(m[1])); });
  child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

let trips = 0, measuring = false, stop = false;
const payload = Buffer.alloc(size, 7);
await Promise.all(Array.from({ length: conns }, () => new Promise((resolve, reject) => {
  const s = connect({ port, host: '127.0.0.1', noDelay: true });
  let got = 0;
  s.on('connect', () => { s.write(payload); resolve(); });
  s.on('data', (d) => {
    got += d.length;
    while (got >= size) {
      got -= size;
      if (measuring) trips++;
      if (!stop) s.write(payload); else { s.destroy(); return; }
    }
  });
  s.on('error', reject);
})));
await new Promise((r) => setTimeout(r, 500));  // warm-up
const cpu = () => {  // the server's user+system CPU time in seconds (Linux /proc)
  const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const cpu0 = cpu();
measuring = true;
const t0 = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
measuring = false;
const cpuUsed = cpu() - cpu0;
stop = true;
console.log(`${model}: ${conns} connections x ${size} B: ${Math.round(trips / elapsed)} round trips/s, ` +
  `server CPU ${(cpuUsed * 1e6 / trips).toFixed(1)} us per round trip (${Math.round(trips / cpuUsed)} round trips per CPU-second)`);
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
