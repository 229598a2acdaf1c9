import { beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAWaitForMultipleEvents,
  WSA_WAIT_EVENT_0, WSA_WAIT_TIMEOUT, WSA_INFINITE, TRUE, FALSE,
} from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('fWaitAll waits until every event is signalled at once', async () => {
  const evs = [WSACreateEvent(), WSACreateEvent(), WSACreateEvent()];
  WSASetEvent(evs[0]!);
  WSASetEvent(evs[2]!);
  expect(await WSAWaitForMultipleEvents(3, evs, TRUE, 0, FALSE)).toBe(WSA_WAIT_TIMEOUT);
  let ended = false;
  const all = WSAWaitForMultipleEvents(3, evs, TRUE, WSA_INFINITE, FALSE).then((r) => { ended = true; return r; });
  // A wait satisfied at entry, issued after: once it has resolved, a wait-all satisfied by the two set
  // events would have resolved too.
  expect(await WSAWaitForMultipleEvents(1, [evs[0]!], FALSE, WSA_INFINITE, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(ended).toBe(false);
  WSASetEvent(evs[1]!);
  expect(await all).toBe(WSA_WAIT_EVENT_0);
  for (const h of evs) WSACloseEvent(h);
});
