// The chat server and the terminal client answer a wrong flag, a bad value, a port in use or a refused
// connection with one line on stderr and a non-zero exit, never a stack trace.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

const server = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const client = fileURLToPath(new URL('../dist/client.js', import.meta.url));
const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', timeout: 30_000, input: '' });

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

test.each([
  [server, ['--bogus'], /^winsock-chat: Unknown option '--bogus' \(--help for usage\)\n$/],
  [server, ['--port', '70000'], /^winsock-chat: --port must be an integer 0\.\.65535\n$/],
  [client, ['--bogus'], /^winsock-chat-client: Unknown option '--bogus' \(--help for usage\)\n$/],
  [client, ['--port', 'x'], /^winsock-chat-client: --port must be an integer 1\.\.65535, not x\n$/],
])('%s %j prints one line and exits with 2', (file, args, line) => {
  const r = run(file, args);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(line);
});

test('the server on a port in use (chat or admin) prints one line and exits with 1', () => {
  for (const args of [['--port', String(busyPort), '--admin-port', '0'], ['--port', '0', '--admin-port', String(busyPort)]]) {
    const r = run(server, args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^winsock-chat: listening on 127\\.0\\.0\\.1:${busyPort}: Address already in use\\.\\n$`));
  }
});

test('the terminal client refused by a closed port prints one line and exits with 1', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as { port: number }).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const r = run(client, ['--port', String(port)]);
  expect(r.status).toBe(1);
  expect(r.stderr).toBe(`winsock-chat-client: connect ECONNREFUSED 127.0.0.1:${port}\n`);
});

test('the README commands (start, client) build the chat and what it uses first: after `pnpm tour` alone no dist/ exists', async () => {
  const { readFileSync } = await import('node:fs');
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  for (const name of ['start', 'client']) {
    expect(scripts[name]).toMatch(/^turbo run build --filter=@winsock-models\/chat\.\.\. --output-logs=errors-only && node dist\//);
  }
});
