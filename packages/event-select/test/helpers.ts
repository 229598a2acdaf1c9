// What the WSAEventSelect tests add to the shared fixtures (@winsock-models/testing): bounded waits on
// an event object and enumeration.
import { check } from '@winsock-models/testing';
export { startup, check, listener, dial, pair, closeAll } from '@winsock-models/testing';
import {
  socket, WSAGetLastError, WSAWaitForMultipleEvents, WSAEnumNetworkEvents, WSANETWORKEVENTS, WSA_WAIT_EVENT_0, FALSE,
  type SOCKET, type WSAEVENT,
} from '../src/index.js';

/** True when ev is signalled within ms (WSA_WAIT_EVENT_0), false on WSA_WAIT_TIMEOUT. */
export async function signalled(ev: WSAEVENT, ms: number): Promise<boolean> {
  const r = await WSAWaitForMultipleEvents(1, [ev], FALSE, ms, FALSE);
  if (r !== WSA_WAIT_EVENT_0 && r !== 258) throw new Error(`wait failed: ${r} ${WSAGetLastError()}`);
  return r === WSA_WAIT_EVENT_0;
}

/** Waits (bounded) for ev, then enumerates s's events, resetting ev. */
export async function next(s: SOCKET, ev: WSAEVENT, ms = 5000): Promise<WSANETWORKEVENTS> {
  if (!(await signalled(ev, ms))) throw new Error(`no network event for socket ${s} within ${ms} ms`);
  return enumerate(s, ev);
}

export function enumerate(s: SOCKET, ev: WSAEVENT | null): WSANETWORKEVENTS {
  const ne = new WSANETWORKEVENTS();
  check(WSAEnumNetworkEvents(s, ev, ne), 'WSAEnumNetworkEvents');
  return ne;
}
