// The echo CLI answers a wrong flag, a bad value or a port in use with one line on stderr and a
// non-zero exit, never a stack trace — for every model's server.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MODELS } from '../src/server.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

test.each([
  [['--bogus'], /^winsock-echo: Unknown option '--bogus' \(--help for usage\)\n$/],
  [['9000'], /^winsock-echo: Unexpected argument '9000'.*\n$/],
  [['--model', 'nope'], /^unknown --model nope; one of: select, .*\n$/],
  [['--port', 'x'], /^--port must be 0\.\.65535, not x\n$/],
])('echo %j prints one line and exits with 2', (args, line) => {
  const r = run(args);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(line);
});

test.each(MODELS)('echo --model %s on a port in use prints one line and exits with 1', (model) => {
  const r = run(['--model', model, '--port', String(busyPort)]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^winsock-echo: \\[${model}\\] cannot serve on 127\\.0\\.0\\.1:${busyPort}: .*(WSAEADDRINUSE|in use).*\\n$`, 'i'));
  expect(r.stdout).toBe('');
});
