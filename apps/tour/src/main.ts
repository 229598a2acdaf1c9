#!/usr/bin/env node
// The tour: each model's echo server in turn, real clients, every byte verified, a table at the end.
// `--json` prints the reports as JSON for machines.
import { MODELS, loadServer, type ModelName } from '@winsock-models/echo';
import { runModel, type ModelReport } from './run-model.js';

const json = process.argv.includes('--json');
const color = !json && process.stdout.isTTY;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const green = (s: string) => (color ? `\x1b[32m${s}\x1b[0m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);

async function available(): Promise<ModelName[]> {
  const out: ModelName[] = [];
  for (const m of MODELS) {
    try { await loadServer(m); out.push(m); } catch { /* that model's server has not landed yet */ }
  }
  return out;
}

const models = await available();
const reports: ModelReport[] = [];
for (const [i, model] of models.entries()) {
  if (!json) process.stdout.write(`${dim(`[${i + 1}/${models.length}]`)} ${bold(model)} echo server ... `);
  const r = await runModel(model);
  reports.push(r);
  if (!json) {
    console.log(green(`${r.bytesVerified} bytes verified`));
    for (const line of r.trace) console.log(dim(`    ${line}`));
  }
}

if (json) {
  console.log(JSON.stringify({ reports }, null, 2));
} else {
  const net = reports.find((r) => r.model === 'net');
  console.log(`\n${bold('model'.padEnd(22))}${bold('bytes verified'.padStart(16))}${bold('round trips/s'.padStart(16))}${bold('vs net'.padStart(9))}`);
  for (const r of reports) {
    const ratio = net ? (r.roundTripsPerSecond / net.roundTripsPerSecond).toFixed(2) + 'x' : '-';
    console.log(`${r.model.padEnd(22)}${String(r.bytesVerified).padStart(16)}${Math.round(r.roundTripsPerSecond).toString().padStart(16)}${ratio.padStart(9)}`);
  }
  const missing = MODELS.filter((m) => !models.includes(m));
  if (missing.length) console.log(dim(`\nnot built yet: ${missing.join(', ')}`));
}
