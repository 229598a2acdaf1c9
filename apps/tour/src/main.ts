#!/usr/bin/env node
// The tour, the project's first command (`pnpm tour`): each model's echo server in turn, in this
// process, with real clients (in a worker thread) doing an echo, a half-close, an abortive close and a
// burst larger than the socket buffers; what happened, in Winsock terms; then a table side by side.
// `--json` prints one JSON document for machines instead.
//
// The call counter must wrap the native core before any package loads it, so everything else is
// imported dynamically, after it.
import { installCallCounter } from './call-counter.js';

const counter = installCallCounter();
const { tour } = await import('./tour.js');
// `pnpm tour -- --json` passes the `--` through: drop it.
const code = await tour(process.argv.slice(2).filter((a) => a !== '--'), counter);
// Exit even if a server that failed to close still holds a handle — once stdout has taken
// everything (pipes are asynchronous on some systems).
process.stdout.write('', () => process.exit(code));
