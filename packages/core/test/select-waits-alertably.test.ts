// A blocking select runs queued completion routines while it waits and goes on waiting by its own
// criteria (winsock-spec §3.1); a select that does not wait runs none.
import { expect, test } from 'vitest';
import { native } from '../src/binding.js';
import { GetCurrentThread, QueueUserAPC, SleepEx, TRUE, WAIT_IO_COMPLETION, send } from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

startup();

// An fd_set's memory as the select package lays it out: [fd_count, fd_array...].
const set = (...fds: number[]) => Int32Array.from([fds.length, ...fds]);

test('routines queued while select waits run during it, and select still returns only when a socket is ready', async () => {
  const p = tcpPair();
  const ran: string[] = [];
  const readfds = set(p.server);
  const waiting = native.select(readfds, null, null, null) as Promise<number>;
  expect(waiting).toBeInstanceOf(Promise);
  QueueUserAPC(() => { ran.push('apc'); send(p.client, Buffer.from('x'), 1, 0); }, GetCurrentThread(), null);
  expect(await waiting).toBe(1);
  expect(ran).toEqual(['apc']);
  p.close();
});

test('a select that does not wait ({0,0}) runs no routines', async () => {
  const p = tcpPair();
  let ran = 0;
  QueueUserAPC(() => { ran++; }, GetCurrentThread(), null);
  expect(native.select(set(p.server), null, null, 0)).toBe(0);
  expect(ran).toBe(0);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toBe(1);
  p.close();
});
