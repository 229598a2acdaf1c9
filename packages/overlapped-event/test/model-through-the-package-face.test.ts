// The model through this package's own exports: a pending receive signals its event, the result says
// how much came, and closesocket aborts what is left.
import { expect, test } from 'vitest';
import { pair, startup } from '@winsock-models/testing';
import {
  FALSE, SOCKET_ERROR, WSABUF, WSACreateEvent, WSAGetLastError, WSAGetOverlappedResult, WSAOVERLAPPED, WSARecv,
  WSAWaitForMultipleEvents, WSA_INFINITE, WSA_IO_PENDING, WSA_OPERATION_ABORTED, WSA_WAIT_EVENT_0, closesocket, send,
} from '../src/index.js';

test('overlapped model 1 end to end: WSARecv pends, hEvent wakes the wait, WSAGetOverlappedResult reports, closesocket aborts', async () => {
  startup();
  const { ls: l, client: c, server: s } = pair();

  const ov = new WSAOVERLAPPED();
  ov.hEvent = WSACreateEvent();
  const buf = Buffer.alloc(32);
  expect(WSARecv(s, new WSABUF(32, buf), 1, null, { value: 0 }, ov, null)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  const wait = WSAWaitForMultipleEvents(1, [ov.hEvent], FALSE, WSA_INFINITE, FALSE);
  send(c, Buffer.from('model one'), 9, 0);
  expect(await wait).toBe(WSA_WAIT_EVENT_0);
  const cb = { value: 0 };
  expect(WSAGetOverlappedResult(s, ov, cb, FALSE, { value: 0 })).toBe(1);
  expect(buf.subarray(0, cb.value).toString()).toBe('model one');

  const again = new WSAOVERLAPPED();
  expect(WSARecv(s, new WSABUF(32, buf), 1, null, { value: 0 }, again, null)).toBe(SOCKET_ERROR);
  closesocket(s);
  expect(again.Internal).toBe(WSA_OPERATION_ABORTED);
  for (const x of [c, l]) closesocket(x);
});
