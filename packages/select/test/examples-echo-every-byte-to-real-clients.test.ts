// The package's examples, run as `pnpm example select ...` runs them (compiled, plain node), against
// real loopback clients: every byte echoed to a client that waits, to clients that half-close at once,
// and the server still serving after clients that reset.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { echoClient, pattern, runExample, startExample, type RunningExample } from '../../../scripts/example-harness.mjs';

let server: RunningExample;
beforeAll(async () => { server = await startExample('select', 'echo-server'); });
afterAll(async () => { await server?.stop(); });

test('echo-server prints where it listens and echoes 3,000 bytes (several 512-byte recvs) to a waiting client', async () => {
  expect(server.output()).toMatch(/\[select\] echo server listening on 0\.0\.0\.0:\d+/);
  const data = pattern(3000);
  expect((await echoClient(server.port, data, 'wait')).equals(data)).toBe(true);
});

test('echo-server echoes every byte to 20 clients that send and half-close at once', async () => {
  const sent = Array.from({ length: 20 }, (_, i) => pattern(3000, i));
  const echoed = await Promise.all(sent.map((d) => echoClient(server.port, d, 'half-close')));
  expect(echoed.filter((e, i) => e.equals(sent[i]!)).length).toBe(20);
});

test('echo-server keeps serving after 5 clients reset their connections', async () => {
  await Promise.all(Array.from({ length: 5 }, (_, i) => echoClient(server.port, pattern(3000, i), 'reset')));
  const data = pattern(1000, 9);
  expect((await echoClient(server.port, data, 'wait')).equals(data)).toBe(true);
  expect(server.running()).toBe(true);
});

test('echo-client connects (writefds), gets its message back, and reports a refused connect from exceptfds', async () => {
  const ok = await runExample('select', 'echo-client', [String(server.port), '127.0.0.1', 'hello, select']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('connected to 127.0.0.1');
  expect(ok.stdout).toContain('echoed 13 of 13 bytes: hello, select');
  const refused = await runExample('select', 'echo-client', ['1']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^\[select\] connect to 127\.0\.0\.1:1 failed \(socket in exceptfds\): WSAECONNREFUSED \(10061\)\n$/);
});

test('echo-server answers a port in use with one line and exit code 1', async () => {
  const r = await runExample('select', 'echo-server', [String(server.port)]);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('bind() failed: WSAEADDRINUSE (10048)\n');
});
