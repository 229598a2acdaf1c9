// The package's example, run as `pnpm example iocp echo-server` runs it (compiled, plain node), against
// real loopback clients: every byte echoed to a client that waits and to clients that half-close at
// once, the server still serving after clients that reset, a busy port in one line.
import * as vt from 'vitest';
import { echoExampleSuite } from '../../../scripts/example-harness.mjs';

echoExampleSuite(vt, { pkg: 'iocp', server: 'echo-server', tag: '[iocp]' });
