import { beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, WSAGetLastError,
  WSA_WAIT_FAILED, WSA_INVALID_PARAMETER, WSA_INVALID_HANDLE, WSAEFAULT, WSA_INFINITE, FALSE, TRUE,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('cEvents 0 or over 64 is WSA_WAIT_FAILED with WSA_INVALID_PARAMETER', async () => {
  expect(WSA_WAIT_FAILED).toBe(0xffffffff);
  const evs = Array.from({ length: 65 }, () => WSACreateEvent());
  expect(await WSAWaitForMultipleEvents(0, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_PARAMETER);
  expect(await WSAWaitForMultipleEvents(65, evs, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_PARAMETER);
  for (const h of evs) WSACloseEvent(h);
});

test('a closed or unknown handle is WSA_WAIT_FAILED with WSA_INVALID_HANDLE', async () => {
  const ok = WSACreateEvent();
  const closed = WSACreateEvent();
  WSACloseEvent(closed);
  expect(await WSAWaitForMultipleEvents(2, [ok, closed], FALSE, WSA_INFINITE, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  expect(await WSAWaitForMultipleEvents(1, [12345], FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  WSACloseEvent(ok);
});

test('cEvents past the array is WSAEFAULT; the same event twice in a wait-all is WSA_INVALID_PARAMETER', async () => {
  const ev = WSACreateEvent();
  expect(await WSAWaitForMultipleEvents(3, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(await WSAWaitForMultipleEvents(1, null, FALSE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  expect(await WSAWaitForMultipleEvents(2, [ev, ev], TRUE, 0, FALSE)).toBe(WSA_WAIT_FAILED);
  expect(WSAGetLastError()).toBe(WSA_INVALID_PARAMETER);
  WSACloseEvent(ev);
});
