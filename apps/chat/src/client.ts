#!/usr/bin/env node
// The terminal client: `pnpm --filter @winsock-models/chat client --port N`. Lines you type go to the
// server; lines from the server are printed (your own typing stays on its line).
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

// A usage error is one line on stderr and exit code 2, never a stack.
const fail = (line: string, code: number): never => {
  console.error(`winsock-chat-client: ${line}`);
  process.exit(code);
};
// `pnpm <script> -- --flag` passes the `--` through: drop it.
const args = process.argv.slice(2).filter((a) => a !== '--');
const options = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '7000' },
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
  console.log('usage: winsock-chat-client [--host 127.0.0.1] [--port 7000]   (type /help once connected)');
  process.exit(0);
}
const color = process.stdout.isTTY;
const paint = (line: string) => {
  if (!color) return line;
  if (line.startsWith('* ')) return `\x1b[2m${line}\x1b[0m`;
  if (line.startsWith('! ')) return `\x1b[31m${line}\x1b[0m`;
  return line.replace(/^<([^>]+)>/, '\x1b[36m<$1>\x1b[0m');
};

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be an integer 1..65535, not ${values.port}`, 2);
const sock = connect({ host: values.host!, port });
const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ', terminal: process.stdin.isTTY });
let partial = '';
sock.setEncoding('utf8');
sock.on('connect', () => rl.prompt());
sock.on('data', (text: string) => {
  partial += text;
  const lines = partial.split('\n');
  partial = lines.pop()!;
  if (process.stdin.isTTY) process.stdout.write('\r\x1b[2K');
  for (const l of lines) console.log(paint(l));
  rl.prompt(true);
});
sock.on('error', (e) => fail(e.message, 1));
sock.on('close', () => { console.log('\n(connection closed)'); process.exit(0); });
rl.on('line', (line) => sock.write(`${line}\n`));
rl.on('close', () => sock.end());
