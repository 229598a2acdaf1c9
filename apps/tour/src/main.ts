#!/usr/bin/env node
// The tour, the project's first command (`pnpm tour`): each model's echo server in turn, in this
// process, with real clients (in a worker thread) doing an echo, a half-close, an abortive close and a
// burst larger than the socket buffers; what happened, in Winsock terms, from the core's trace; then
// a table side by side. `--json` prints one JSON document for machines instead; `--html <file>` also
// draws every model's timeline on one page.
//
// The call counter must wrap the native core before any package loads it, so everything else is
// imported dynamically, after it. A usage error or any other failure is one line on stderr and exit
// status 2 (usage) or 1, never a stack trace.
import { installCallCounter } from './call-counter.js';

let code: number;
try {
  const counter = installCallCounter();
  const { tour } = await import('./tour.js');
  // `pnpm tour -- --json` passes the `--` through: drop it.
  code = await tour(process.argv.slice(2).filter((a) => a !== '--'), counter);
} catch (err) {
  const e = err as Error & { code?: string; exitCode?: number };
  process.stderr.write(`tour: ${e.message.split('\n')[0]}\n`);
  code = e.exitCode ?? (e.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
}
// Exit even if a server that failed to close still holds a handle — once stdout has taken
// everything (pipes are asynchronous on some systems).
process.stdout.write('', () => process.exit(code));
