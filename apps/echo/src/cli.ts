#!/usr/bin/env node
// winsock-echo --model <name> --port <n>: runs that model's echo server on 127.0.0.1 in the
// foreground, prints a line containing "listening" once it accepts, and closes cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { MODELS, loadServer, type ModelName } from './server.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'select' },
    port: { type: 'string', default: '9000' },
    host: { type: 'string', default: '127.0.0.1' },
    trace: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: winsock-echo --model <${MODELS.join('|')}> --port <n> [--trace]`);
  process.exit(0);
}
const model = values.model as ModelName;
if (!MODELS.includes(model)) {
  console.error(`unknown --model ${values.model}; one of: ${MODELS.join(', ')}`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be 0..65535, not ${values.port}`);
  process.exit(2);
}

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());

let serve;
try {
  serve = await loadServer(model);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
await serve({
  host: values.host!,
  port,
  signal: controller.signal,
  onListening: (p) => console.log(`[${model}] listening on ${values.host}:${p}`),
  trace: values.trace ? (line) => console.log(line) : undefined,
});
console.log(`[${model}] closed`);
