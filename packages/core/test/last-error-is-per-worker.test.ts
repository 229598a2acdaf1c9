import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { beforeAll, expect, test } from 'vitest';
import { WSAEADDRINUSE, WSAENOTSOCK, WSAGetLastError, WSASetLastError } from '../src/index.js';
import { startup } from './helpers.js';

beforeAll(startup);

test('each realm has its own last error: a worker\'s failures never show in the main thread', async () => {
  WSASetLastError(WSAEADDRINUSE);
  const worker = new Worker(new URL('./fixtures/last-error-worker.mjs', import.meta.url), { workerData: { code: 10061 } });
  // Listen for the exit first: a worker that posts and ends at once can have its message and its exit
  // delivered in the same turn, and an exit listener added after the message would wait for ever.
  const exited = once(worker, 'exit');
  const [result] = await once(worker, 'message');
  await exited;
  expect(result).toEqual({ before: 0, afterSet: 10061, afterFailure: WSAENOTSOCK });
  expect(WSAGetLastError()).toBe(WSAEADDRINUSE);
});
