#!/usr/bin/env node
// winsock-chat [--port 7000] [--admin-port 7001] [--host 127.0.0.1] [--queue-limit BYTES] [--trace]
// Runs the chat server in the foreground; SIGINT/SIGTERM stop it.
import { parseArgs } from 'node:util';
import { DEFAULT_QUEUE_LIMIT, runChat } from './server.js';

// A usage error or a server that cannot start is one line on stderr and a non-zero exit, never a stack.
const fail = (line: string, code: number): never => {
  console.error(`winsock-chat: ${line}`);
  process.exit(code);
};
// `pnpm <script> -- --flag` passes the `--` through: drop it.
const args = process.argv.slice(2).filter((a) => a !== '--');
const options = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '7000' },
  'admin-port': { type: 'string', default: '7001' },
  'queue-limit': { type: 'string', default: String(DEFAULT_QUEUE_LIMIT) },
  trace: { type: 'boolean', default: false },
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
  console.log('usage: winsock-chat [--port 7000] [--admin-port 7001] [--host 127.0.0.1] [--queue-limit BYTES] [--trace]');
  process.exit(0);
}
const int = (v: string, name: string, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) fail(`--${name} must be an integer 0..${max}`, 2);
  return n;
};
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
try {
  await runChat({
    host: values.host!, port: int(values.port!, 'port', 65535), adminPort: int(values['admin-port']!, 'admin-port', 65535),
    queueLimit: int(values['queue-limit']!, 'queue-limit', 2 ** 31), signal: controller.signal,
    onListening: ({ port, adminPort }) => console.log(`[chat] listening on ${values.host}:${port} (admin on ${adminPort})`),
    trace: values.trace ? (line) => console.log(line) : undefined,
  });
} catch (err) {
  fail((err as Error).message, 1);
}
console.log('[chat] closed');
