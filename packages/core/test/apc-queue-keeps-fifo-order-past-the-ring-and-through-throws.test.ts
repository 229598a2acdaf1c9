// The APC queue is a ring shared with TypeScript (1,024 records) plus an overflow list: order must
// hold past the ring, through a routine that throws, and through a routine that itself waits alertably.
import { beforeAll, expect, test } from 'vitest';
import { GetCurrentThread, QueueUserAPC, SleepEx, TRUE, WAIT_IO_COMPLETION } from '../src/index.js';
import { slotsInUse } from '../src/holds.js';
import { startup } from './helpers.js';

beforeAll(startup);

test('3,000 queued APCs (more than the ring holds) all run in one alertable wait, in queue order', async () => {
  const ran: number[] = [];
  for (let i = 0; i < 3000; i++) QueueUserAPC((n: number) => ran.push(n), GetCurrentThread(), i);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(ran.length).toBe(3000);
  expect(ran.every((n, i) => n === i)).toBe(true);
  expect(slotsInUse()).toBe(0);
});

test('an APC that throws is not run again; the ones after it run in the next alertable wait', async () => {
  const ran: string[] = [];
  QueueUserAPC(() => { ran.push('a'); }, GetCurrentThread(), null);
  QueueUserAPC(() => { ran.push('boom'); throw new Error('boom'); }, GetCurrentThread(), null);
  QueueUserAPC(() => { ran.push('c'); }, GetCurrentThread(), null);
  expect(() => SleepEx(0, TRUE)).toThrow('boom');
  expect(ran).toEqual(['a', 'boom']);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toEqual(['a', 'boom', 'c']);
  expect(slotsInUse()).toBe(0);
});

test('an APC that waits alertably runs the APCs queued after it there, each once, in order', async () => {
  const ran: string[] = [];
  QueueUserAPC(() => {
    ran.push('a begins');
    void SleepEx(0, TRUE);  // nested alertable wait: runs b and c now
    ran.push('a ends');
  }, GetCurrentThread(), null);
  QueueUserAPC(() => { ran.push('b'); }, GetCurrentThread(), null);
  QueueUserAPC(() => { ran.push('c'); }, GetCurrentThread(), null);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(ran).toEqual(['a begins', 'b', 'c', 'a ends']);
  expect(await SleepEx(0, TRUE)).toBe(0);  // nothing left, nothing run twice
  expect(ran.length).toBe(4);
});

test('QueueUserAPC to another thread holds nothing', () => {
  expect(QueueUserAPC(() => {}, 12345, null)).toBe(0);
  expect(slotsInUse()).toBe(0);
});
