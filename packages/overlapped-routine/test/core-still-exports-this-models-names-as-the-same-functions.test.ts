// Core exported this model's names before the model had its own face (issue 18). For one minor
// version core still does, deprecated: each one must be the very function or class this package
// exports, so a program that mixes the two imports during the move queues to one APC queue.
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import * as core from '@winsock-models/core';
import * as face from '../src/index.js';

const require = createRequire(import.meta.url);
const names = [
  'AcceptEx', 'ConnectEx', 'GetAcceptExSockaddrs', 'GetCurrentThread', 'GetCurrentThreadId', 'QueueUserAPC', 'SleepEx',
  'WSAGetOverlappedResult', 'WSAOVERLAPPED',
] as const;

test("core's deprecated routine and overlapped names are this package's functions, in both of core's builds", async () => {
  for (const name of names) expect(core[name]).toBe(face[name]);
  const cjs = require('@winsock-models/core') as Record<string, unknown>;
  expect(names.filter((name) => typeof cjs[name] !== 'function')).toEqual([]);
  // An APC queued through core's old export runs in this package's alertable wait.
  const ran: number[] = [];
  expect(core.QueueUserAPC((n: number) => { ran.push(n); }, core.GetCurrentThread(), 7)).not.toBe(0);
  expect(await face.SleepEx(0, face.TRUE)).toBe(face.WAIT_IO_COMPLETION);
  expect(ran).toEqual([7]);
});
