// Core's examples, run as `pnpm example core ...` runs them (compiled, plain node), against real
// loopback clients: the blocking TCP server echoes every byte to a client that waits and to clients that
// half-close at once, serves on after clients that reset; the blocking client gets its echo and reports
// a refused connect in one line; the UDP pair echoes a datagram.
import * as vt from 'vitest';
import { echoExampleSuite, runExample, startExample } from '../../../scripts/example-harness.mjs';

echoExampleSuite(vt, {
  pkg: 'core', server: 'echo-server', tag: '[core]',
  client: {
    name: 'echo-client',
    connected: /\[core\] connected to 127\.0\.0\.1:\d+/,
    refused: /^\[core\] connect to 127\.0\.0\.1:1 failed: WSAECONNREFUSED \(10061\)$/m,
  },
});

vt.test('udp-echo-server prints where it listens and udp-echo-client gets its datagram back', async () => {
  const server = await startExample('core', 'udp-echo-server');
  try {
    vt.expect(server.output()).toMatch(/^\[core\] UDP echo server listening on 0\.0\.0\.0:\d+/);
    const r = await runExample('core', 'udp-echo-client', [String(server.port), '127.0.0.1', 'one datagram']);
    vt.expect(r.code).toBe(0);
    vt.expect(r.stdout).toBe('[core] echoed 12 of 12 bytes: one datagram\n');
  } finally {
    await server.stop();
  }
});
