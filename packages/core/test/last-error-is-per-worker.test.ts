import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { beforeAll, expect, test } from 'vitest';
import { WSAEADDRINUSE, WSAENOTSOCK, WSAGetLastError, WSASetLastError } from '../src/index.js';
import { startup } from './helpers.js';

beforeAll(startup);

test('each realm has its own last error: a worker\'s failures never show in the main thread', async () => {
  WSASetLastError(WSAEADDRINUSE);
  const worker = new Worker(new URL('./fixtures/last-error-worker.mjs', import.meta.url), { workerData: { code: 10061 } });
  const [result] = await once(worker, 'message');
  await once(worker, 'exit');
  expect(result).toEqual({ before: 0, afterSet: 10061, afterFailure: WSAENOTSOCK });
  expect(WSAGetLastError()).toBe(WSAEADDRINUSE);
});
