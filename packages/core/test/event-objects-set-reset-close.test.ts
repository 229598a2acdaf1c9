import { beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents,
  WSAGetLastError, WSA_INVALID_EVENT, WSA_INVALID_HANDLE, WSA_WAIT_EVENT_0, WSA_WAIT_TIMEOUT, FALSE,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('an event starts non-signalled, stays signalled until reset (manual reset), and a wait does not reset it', async () => {
  const ev = WSACreateEvent();
  expect(ev).not.toBe(WSA_INVALID_EVENT);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  expect(WSASetEvent(ev)).toBe(true);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(WSAResetEvent(ev)).toBe(true);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  expect(WSACloseEvent(ev)).toBe(true);
});

test('every call on a closed or unknown handle fails with WSA_INVALID_HANDLE', () => {
  const ev = WSACreateEvent();
  WSACloseEvent(ev);
  for (const h of [ev, 0, -1, 1.5, 0x7fffff00]) {
    expect(WSASetEvent(h)).toBe(false);
    expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
    expect(WSAResetEvent(h)).toBe(false);
    expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
    expect(WSACloseEvent(h)).toBe(false);
    expect(WSAGetLastError()).toBe(WSA_INVALID_HANDLE);
  }
});

test('a closed handle stays invalid while new events are created', () => {
  const old = WSACreateEvent();
  WSACloseEvent(old);
  const fresh = Array.from({ length: 20 }, () => WSACreateEvent());
  expect(fresh).not.toContain(old);
  expect(WSASetEvent(old)).toBe(false);
  for (const h of fresh) WSACloseEvent(h);
});

test('misused argument types are TypeErrors', () => {
  expect(() => WSASetEvent('1' as unknown as number)).toThrow(TypeError);
  expect(() => WSAWaitForMultipleEvents(1, 'x' as unknown as number[], FALSE, 0, FALSE)).toThrow(TypeError);
});
