#!/usr/bin/env node
// winsock-echo --model <name> --port <n>: runs that model's echo server on 127.0.0.1 in the
// foreground, prints a line containing "listening" once it accepts, and closes cleanly on SIGINT/SIGTERM.
// winsock-echo --client --port <n> [--clients N --rounds R --size S]: runs the select echo client
// against a server instead, checks every echoed byte, and prints the round trips per second.
import { parseArgs } from 'node:util';
import { MODELS, loadServer, type ModelName } from './server.js';
import { selectClient } from './clients/select-client.js';

// A usage error or a server that cannot start is one line on stderr and a non-zero exit, never a stack.
const fail = (line: string, code: number): never => {
  console.error(`winsock-echo: ${line}`);
  process.exit(code);
};
// `pnpm <script> -- --flag` passes the `--` through: drop it.
const args = process.argv.slice(2).filter((a) => a !== '--');
const options = {
  model: { type: 'string', default: 'select' },
  port: { type: 'string', default: '9000' },
  host: { type: 'string', default: '127.0.0.1' },
  trace: { type: 'boolean', default: false },
  workers: { type: 'string' },
  client: { type: 'boolean', default: false },
  clients: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '100' },
  size: { type: 'string', default: '64' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
const { values } = (() => {
  try {
    return parseArgs({ args, options });
  } catch (err) {
    return fail(`${(err as Error).message} (--help for usage)`, 2);
  }
})();

if (values.help) {
  console.log(`usage: winsock-echo --model <${MODELS.join('|')}> --port <n> [--trace] [--workers N (iocp)]\n` +
    '       winsock-echo --client --port <n> [--host h] [--clients N] [--rounds R] [--size S]');
  process.exit(0);
}
if (values.client) {
  const count = (name: 'clients' | 'rounds' | 'size') => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) { console.error(`--${name} must be a positive integer`); process.exit(2); }
    return n;
  };
  const r = await selectClient({ host: values.host!, port: Number(values.port), clients: count('clients'),
    rounds: count('rounds'), size: count('size') });
  console.log(`[select client] ${r.clients} clients, ${r.roundTrips} round trips, ${r.bytesVerified} bytes verified, ` +
    `${Math.round(r.roundTrips / r.seconds)} round trips/s`);
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

const workers = values.workers === undefined ? undefined : Number(values.workers);
if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
  console.error(`--workers must be a positive integer, not ${values.workers}`);
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
try {
  await serve({
    host: values.host!,
    port,
    signal: controller.signal,
    onListening: (p) => console.log(`[${model}] listening on ${values.host}:${p}`),
    trace: values.trace ? (line) => console.log(line) : undefined,
    workers,
  });
} catch (err) {
  fail(`[${model}] cannot serve on ${values.host}:${port}: ${(err as Error).message}`, 1);
}
console.log(`[${model}] closed`);
