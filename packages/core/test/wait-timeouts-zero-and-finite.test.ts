import { beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, WSA_WAIT_TIMEOUT,
  WSA_WAIT_EVENT_0, WSASetEvent, FALSE, TRUE,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('dwTimeout 0 checks and returns WSA_WAIT_TIMEOUT (258) at once', async () => {
  const ev = WSACreateEvent();
  expect(WSA_WAIT_TIMEOUT).toBe(258);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  WSACloseEvent(ev);
});

test('a finite timeout ends the wait with WSA_WAIT_TIMEOUT, and the event loop keeps running meanwhile', async () => {
  const ev = WSACreateEvent();
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 5);
  const r = await WSAWaitForMultipleEvents(1, [ev], FALSE, 80, FALSE);
  clearInterval(timer);
  expect(r).toBe(WSA_WAIT_TIMEOUT);
  expect(ticks).toBeGreaterThan(0);
  WSACloseEvent(ev);
});

test('an event set before the timeout wins; fAlertable without queued APCs waits like a plain wait', async () => {
  const ev = WSACreateEvent();
  setTimeout(() => WSASetEvent(ev), 10);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 10_000, TRUE)).toBe(WSA_WAIT_EVENT_0);
  WSACloseEvent(ev);
});
