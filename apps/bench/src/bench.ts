#!/usr/bin/env node
// winsock-bench: every model that has an echo server (apps/echo's registry, so later models appear
// on their own) against Node's net, under the same load, measured in one run:
//  - 64 connections, 64-byte ping-pong: round trips/s
//  - 1 connection streaming 64 KiB writes: MB/s of echoed bytes
// Each server runs in its own child process; this process is the load generator. Models are measured
// in interleaved rounds and the median is reported, so a burst of load from elsewhere on the machine
// does not land on one model only. Server CPU time per round trip is printed beside the rate.
import { parseArgs } from 'node:util';
import { availableModels } from '@winsock-models/echo';
import { startServer, type ServerProcess } from './server-process.js';
import { pingPong, stream } from './load.js';
import { cpuSeconds } from './cpu.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    seconds: { type: 'string', default: '1.5' },
    warmup: { type: 'string', default: '0.5' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const models = values.models
  ? values.models.split(',')
  : ['net', ...availableModels().filter((m) => m !== 'net')];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sample { rate: number; cpuPerOp: number | null }

async function measure(server: ServerProcess, run: () => Promise<number>, opsPerUnit: number): Promise<Sample> {
  const before = cpuSeconds(server.child.pid!);
  const rate = await run();
  const after = cpuSeconds(server.child.pid!);
  // The CPU window includes the warm-up; close enough for a per-operation cost, and the same for all.
  const ops = rate * opsPerUnit * (seconds + warmup);
  return { rate, cpuPerOp: before !== null && after !== null && ops > 0 ? (after - before) / ops : null };
}

const servers = new Map<string, ServerProcess>();
try {
  for (const model of models)
    servers.set(model, await startServer(model, values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir=results'] : []));

  const pp = new Map<string, Sample[]>(models.map((m) => [m, []]));
  const st = new Map<string, Sample[]>(models.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? models : [...models].reverse();
    for (const model of order) {
      const server = servers.get(model)!;
      pp.get(model)!.push(await measure(server, () => pingPong(server.port, connections, 64, warmup, seconds), 1));
      st.get(model)!.push(await measure(server, () => stream(server.port, 64 * 1024, warmup, seconds), 1 / (64 * 1024)));
    }
  }

  const us = (s: Sample[]) => {
    const xs = s.map((x) => x.cpuPerOp).filter((x): x is number => x !== null);
    return xs.length ? `${(median(xs) * 1e6).toFixed(1)} us` : 'n/a';
  };
  console.log(`${connections} connections x 64-byte ping-pong, and 1 connection streaming 64 KiB writes; ` +
    `median of ${rounds} interleaved rounds of ${seconds} s`);
  console.log(`${'model'.padEnd(20)}${'round trips/s'.padStart(14)}${'server CPU/rt'.padStart(15)}${'stream MB/s'.padStart(13)}${'server CPU/64KiB'.padStart(18)}`);
  const summary = new Map<string, { rtps: number; mbps: number }>();
  for (const model of models) {
    const rtps = median(pp.get(model)!.map((s) => s.rate));
    const mbps = median(st.get(model)!.map((s) => s.rate)) / 1e6;
    summary.set(model, { rtps, mbps });
    console.log(`${model.padEnd(20)}${Math.round(rtps).toString().padStart(14)}${us(pp.get(model)!).padStart(15)}` +
      `${mbps.toFixed(1).padStart(13)}${us(st.get(model)!).padStart(18)}`);
  }
  const base = summary.get('net');
  if (base) {
    console.log('\nratio to net (same run):');
    for (const [model, r] of summary) {
      if (model === 'net') continue;
      console.log(`  ${model.padEnd(18)} round trips ${(r.rtps / base.rtps).toFixed(2)}x   stream ${(r.mbps / base.mbps).toFixed(2)}x`);
    }
  }
} finally {
  for (const s of servers.values()) await s.stop();
}
