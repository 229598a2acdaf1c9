// Every completion-port call given wrong or hostile arguments returns its failure value with a Win32
// code, or throws a TypeError for misuse of JavaScript types: never a crash, a hang or a lost packet.
import { beforeAll, expect, test } from 'vitest';
import {
  CreateIoCompletionPort, GetQueuedCompletionStatus, GetQueuedCompletionStatusEx, PostQueuedCompletionStatus,
  CloseHandle, GetLastError, OVERLAPPED_ENTRY, INVALID_HANDLE_VALUE, WSAOVERLAPPED,
} from '../src/index.js';
import { startup } from './helpers.js';

beforeAll(startup);

const values: unknown[] = [undefined, null, 0, -1, 1, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), NaN, Infinity, 0.5, '1', {},
  [], new Uint8Array(4), Symbol('x'), () => 0, 10n];

test('bad arguments: a failure value and a Win32 code, or a TypeError; a good port still works after', async () => {
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  let calls = 0, typeErrors = 0;
  const attempt = async (f: () => unknown) => {
    calls++;
    try {
      const r = await f();
      expect(typeof r).toBe('number');
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
      typeErrors++;
    }
  };
  for (const v of values) {
    const box = { value: 0 };
    await attempt(() => CreateIoCompletionPort(v as never, v as never, v as never, v as never));
    await attempt(() => CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, v as never, v as never));
    await attempt(() => GetQueuedCompletionStatus(v as never, box, box, box as never, 0));
    await attempt(() => GetQueuedCompletionStatus(hcp, v as never, box, box as never, 0));
    // (DWORD)-1 is INFINITE, as in C: a packet is there first, so no timeout can make it wait.
    PostQueuedCompletionStatus(hcp, 0, 0, null);
    await attempt(() => GetQueuedCompletionStatus(hcp, box, box, box as never, v as never));
    await attempt(() => GetQueuedCompletionStatusEx(hcp, v as never, 1, box, 0, false));
    await attempt(() => GetQueuedCompletionStatusEx(hcp, [new OVERLAPPED_ENTRY()], v as never, box, 0, v as never));
    await attempt(() => PostQueuedCompletionStatus(v as never, 1, 1, null));
    await attempt(() => PostQueuedCompletionStatus(hcp, v as never, v as never, v as never));
    await attempt(() => CloseHandle(v as never));
  }
  expect(calls).toBe(10 * values.length);
  expect(typeErrors).toBeGreaterThan(0);
  // Whatever the calls above posted, drain it; then a posted packet still comes back once.
  const b = { value: 0 }, k = { value: 0 }, o = { value: null as unknown };
  while (await GetQueuedCompletionStatus(hcp, b, k, o as never, 0) || o.value !== null);
  expect(GetLastError()).toBe(258);
  const ov = new WSAOVERLAPPED();
  expect(PostQueuedCompletionStatus(hcp, 5, 6, ov)).toBe(1);
  expect(await GetQueuedCompletionStatus(hcp, b, k, o as never, 0)).toBe(1);
  expect([b.value, k.value, o.value === ov]).toEqual([5, 6, true]);
  expect(CloseHandle(hcp)).toBe(1);
});
