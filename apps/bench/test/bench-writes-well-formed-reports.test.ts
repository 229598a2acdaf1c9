// The load generator and the bench, quickly, against net and one model: the reports are well formed.
// No timing is asserted — only that every figure is there and is a number.
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureLoadgen } from '../src/loadgen.js';
import { C_EPOLL, startServer, type ServerProcess } from '../src/server-process.js';

const bench = fileURLToPath(new URL('../dist/bench.js', import.meta.url));
let loadgen: string;
let net: ServerProcess;

beforeAll(async () => {
  loadgen = ensureLoadgen();
  net = await startServer('net');
});
afterAll(async () => { await net?.stop(); });

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(loadgen, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    // 'close', not 'exit': only then has all of stdout been read.
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('the load generator prints one JSON object with round trips, bytes and latencies (ping-pong)', async () => {
  const { code, out } = await run(['--port', String(net.port), '--connections', '4', '--size', '64', '--seconds', '0.2', '--warmup', '0.05']);
  expect(code).toBe(0);
  const r = JSON.parse(out);
  expect(r).toMatchObject({ mode: 'pingpong', connections: 4, alive: 4, size: 64, errors: 0 });
  expect(r.roundTrips).toBeGreaterThan(0);
  expect(r.bytes).toBeGreaterThanOrEqual(r.roundTrips * 64);
  expect(r.p99_us).toBeGreaterThanOrEqual(r.p50_us);
  expect(r.p50_us).toBeGreaterThan(0);
  // Fairness: per-connection counts over the measured seconds; every echo, warm-up included.
  expect(r.leastServed).toBeGreaterThan(0);
  expect(r.mostServed).toBeGreaterThanOrEqual(r.leastServed);
  expect(r.mostServed).toBeLessThanOrEqual(r.roundTrips);
  expect(r.allRoundTrips).toBeGreaterThanOrEqual(r.roundTrips);
});

test('the load generator streams 64 KiB writes and counts echoed chunks', async () => {
  const { code, out } = await run(['--port', String(net.port), '--mode', 'stream', '--size', '65536', '--seconds', '0.2', '--warmup', '0.05']);
  expect(code).toBe(0);
  const r = JSON.parse(out);
  expect(r).toMatchObject({ mode: 'stream', connections: 1, alive: 1, size: 65536 });
  expect(r.bytes).toBeGreaterThan(0);
});

test('the load generator rejects bad usage with status 2 and fails with 1 when nothing listens', async () => {
  expect((await run(['--port', '0'])).code).toBe(2);
  expect((await run(['--port', String(net.port), '--mode', 'sideways'])).code).toBe(2);
  const closed = await startServer('net');
  const port = closed.port;
  await closed.stop();
  expect((await run(['--port', String(port), '--seconds', '0.1'])).code).toBe(1);
});

test('the reference C server echoes every byte in order, also past full socket buffers', async () => {
  const server = await startServer(C_EPOLL);
  try {
    const pattern = Buffer.alloc(8 << 20);
    for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 7 + (i >> 13)) & 0xff;
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let got = 0;
      const sock = connect(server.port, '127.0.0.1');
      sock.on('error', reject);
      // Not reading while 8 MiB go out fills both socket buffers: the server must keep what its
      // sends could not place and finish once the client reads again.
      sock.pause();
      sock.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
        if (got >= pattern.length) { sock.end(); resolve(Buffer.concat(chunks)); }
      });
      sock.write(pattern);
      setTimeout(() => sock.resume(), 300);
    });
    expect(echoed.length).toBe(pattern.length);
    expect(echoed.equals(pattern)).toBe(true);
    const { code, out } = await run(['--port', String(server.port), '--connections', '8', '--size', '64', '--seconds', '0.2', '--warmup', '0.05']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ alive: 8, errors: 0 });
  } finally {
    await server.stop();
  }
}, 30_000);

test('bench --quick against net and select writes results.md, results.svg and results.json', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-'));
  const printed = execFileSync(process.execPath, [bench, '--quick', '--models', 'net,select', '--loads', 'pp1,pp64,stream',
    '--seconds', '0.2', '--warmup', '0.05', '--out', out], { encoding: 'utf8', timeout: 120_000 });
  expect(printed).toContain('64 connections x 64 B ping-pong');

  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  expect(json.info).toMatchObject({ rounds: 1, quick: true });
  expect(json.results.map((r: { load: { id: string } }) => r.load.id)).toEqual(['pp1', 'pp64', 'stream']);
  for (const r of json.results) {
    expect(r.cells.map((c: { server: string }) => c.server)).toEqual(['net', 'select']);
    for (const c of r.cells) {
      for (const k of ['rate', 'ratio', 'p50_us', 'p99_us']) expect(Number.isFinite(c[k])).toBe(true);
      expect(c.alive).toBe(r.load.connections);
      // One round: its rate is the median, and its own ratio is both ends of the range.
      expect(c.roundRates).toEqual([{ round: 0, rate: c.rate }]);
      expect(c.ratioRange).toEqual([c.ratio, c.ratio]);
    }
    expect(r.cells[0].ratio).toBe(1);
  }

  const md = readFileSync(join(out, 'results.md'), 'utf8');
  expect(md).toMatch(/^# Benchmark results/);
  const tables = md.split('\n').filter((l) => l.startsWith('| server |'));
  expect(tables).toHaveLength(4);  // one per load, and the scaling and fairness table
  // Every row of a table has its header's columns.
  for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
    const lines = block.split('\n').filter((l) => l !== '');
    for (const line of lines) expect(line.split('|')).toHaveLength(lines[0]!.split('|').length);
  }
  for (const c of json.results[1].cells) {
    expect(c.leastOverMost).toBeGreaterThan(0);
    expect(c.leastOverMost).toBeLessThanOrEqual(1);
    expect(c.instructionsPerOp).toBeNull();  // counted only with --instructions
  }

  const svg = readFileSync(join(out, 'results.svg'), 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>/);
  expect(svg.trim().endsWith('</svg>')).toBe(true);
  expect(svg.match(/<title>/g)).toHaveLength(6);  // one bar per (load, server)
  // Well formed: every element opened is closed, in order (a small stack check over the tags).
  const stack: string[] = [];
  for (const [, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
});
