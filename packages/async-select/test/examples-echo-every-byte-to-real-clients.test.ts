// The package's examples, run as `pnpm example async-select ...` runs them (compiled, plain node), against
// real loopback clients: every byte echoed to a client that waits and to clients that half-close at
// once, the server still serving after clients that reset, a busy port and a refused connect in one line.
import * as vt from 'vitest';
import { echoExampleSuite } from '../../../scripts/example-harness.mjs';

echoExampleSuite(vt, {
  pkg: 'async-select', server: 'echo-server', tag: '[async-select]',
  client: {
    name: 'echo-client',
    connected: /connected to 127\.0\.0\.1:\d+ \(FD_CONNECT\)/,
    refused: /^\[async-select\] connect to 127\.0\.0\.1:1 failed \(FD_CONNECT\): WSAECONNREFUSED \(10061\)$/m,
  },
});
