// The package's examples, run as `pnpm example select ...` runs them (compiled, plain node), against
// real loopback clients: every byte echoed to a client that waits and to clients that half-close at
// once, the server still serving after clients that reset, a busy port and a refused connect in one line;
// the UDP server echoes every datagram.
import * as vt from 'vitest';
import { createSocket } from 'node:dgram';
import { echoExampleSuite, startExample } from '../../../scripts/example-harness.mjs';

echoExampleSuite(vt, {
  pkg: 'select', server: 'echo-server', tag: '[select]',
  client: {
    name: 'echo-client',
    connected: /connected to 127\.0\.0\.1:\d+ \(socket in writefds\)/,
    refused: /^\[select\] connect to 127\.0\.0\.1:1 failed \(socket in exceptfds\): WSAECONNREFUSED \(10061\)$/m,
  },
});

vt.test('udp-echo-server prints where it listens and echoes each of 50 datagrams to its sender', async () => {
  const server = await startExample('select', 'udp-echo-server');
  const client = createSocket('udp4');
  try {
    vt.expect(server.output()).toMatch(/^\[select\] UDP echo server listening on 0\.0\.0\.0:\d+/);
    const got = new Set<string>();
    const all = new Promise<void>((resolve) => client.on('message', (m) => { got.add(m.toString()); if (got.size === 50) resolve(); }));
    // One datagram at a time, each after the previous echo: UDP may drop a burst, and this counts echoes.
    for (let i = 0; i < 50; i++) {
      const before = got.size;
      client.send(`datagram ${i}`, server.port, '127.0.0.1');
      while (got.size === before) await new Promise((r) => setTimeout(r, 2));
    }
    await all;
    vt.expect(got.size).toBe(50);
  } finally {
    client.close();
    await server.stop();
  }
});
