// The model through this package's own exports: routines run only in the alertable wait, receive and
// re-issue, and get WSA_OPERATION_ABORTED after closesocket.
import { expect, test } from 'vitest';
import { pair, startup } from '@winsock-models/testing';
import {
  INFINITE, SleepEx, TRUE, WAIT_IO_COMPLETION, WSABUF, WSAOVERLAPPED, WSARecv, WSA_OPERATION_ABORTED, closesocket, send,
} from '../src/index.js';

test('overlapped model 2 end to end: routines receive and re-issue in alertable waits, then see the abort', async () => {
  startup();
  const { ls: l, client: c, server: s } = pair();

  const log: Array<[number, string]> = [];
  const buf = Buffer.alloc(32);
  const ov = new WSAOVERLAPPED();
  const routine = (dwError: number, cbTransferred: number) => {
    log.push([dwError, buf.subarray(0, cbTransferred).toString()]);
    if (dwError === 0 && cbTransferred > 0) WSARecv(s, new WSABUF(32, buf), 1, null, { value: 0 }, ov, routine);
  };
  WSARecv(s, new WSABUF(32, buf), 1, null, { value: 0 }, ov, routine);
  send(c, Buffer.from('first'), 5, 0);
  expect(await SleepEx(INFINITE, TRUE)).toBe(WAIT_IO_COMPLETION);
  send(c, Buffer.from('second'), 6, 0);
  expect(await SleepEx(INFINITE, TRUE)).toBe(WAIT_IO_COMPLETION);
  closesocket(s);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(log).toEqual([[0, 'first'], [0, 'second'], [WSA_OPERATION_ABORTED, '']]);
  for (const x of [c, l]) closesocket(x);
});
