// The package's examples, run as `pnpm example overlapped-event ...` runs them (compiled, plain node), against
// real loopback clients: every byte echoed to a client that waits and to clients that half-close at
// once, the server still serving after clients that reset, a busy port and a refused connect in one line.
import * as vt from 'vitest';
import { echoExampleSuite } from '../../../scripts/example-harness.mjs';

echoExampleSuite(vt, {
  pkg: 'overlapped-event', server: 'echo-server', tag: '[overlapped-event]',
});
