import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, WSAEnumNetworkEvents, WSANETWORKEVENTS, send, FD_READ, FD_WRITE,
  FD_READ_BIT, FD_MAX_EVENTS, SOCKET_ERROR, WSAGetLastError, WSAEFAULT, WSAENOTSOCK, sizeof,
} from '../src/index.js';
import { startup, pair, closeAll, signalled, check } from './helpers.js';

beforeAll(startup);

test('WSANETWORKEVENTS is C\'s 44-byte struct, zeroed', () => {
  const ne = new WSANETWORKEVENTS();
  expect(sizeof(ne)).toBe(44);
  expect(ne.lNetworkEvents).toBe(0);
  expect(ne.iErrorCode.length).toBe(FD_MAX_EVENTS);
});

test('enumerating resets the event, reports P ∩ M, clears it, and leaves other iErrorCode entries alone', async () => {
  const { ls, client, server } = pair();
  const ev = WSACreateEvent();
  check(WSAEventSelect(server, ev, FD_READ), 'WSAEventSelect');  // FD_WRITE is recorded, outside M
  send(client, Buffer.from('x'), 1, 0);
  expect(await signalled(ev, 5000)).toBe(true);
  const ne = new WSANETWORKEVENTS();
  ne.iErrorCode.fill(-0x54545455);  // 0xABABABAB
  check(WSAEnumNetworkEvents(server, ev, ne), 'WSAEnumNetworkEvents');
  expect(ne.lNetworkEvents).toBe(FD_READ);
  expect(ne.iErrorCode[FD_READ_BIT]).toBe(0);
  for (let b = 1; b < FD_MAX_EVENTS; b++) expect(ne.iErrorCode[b]).toBe(-0x54545455);
  expect(await signalled(ev, 0)).toBe(false);  // reset
  check(WSAEnumNetworkEvents(server, null, ne), 'WSAEnumNetworkEvents');
  expect(ne.lNetworkEvents).toBe(0);  // cleared
  // FD_WRITE, recorded outside the mask, waits for a registration that includes it.
  check(WSAEventSelect(server, ev, FD_READ | FD_WRITE), 'WSAEventSelect');
  expect(await signalled(ev, 0)).toBe(true);
  check(WSAEnumNetworkEvents(server, ev, ne), 'WSAEnumNetworkEvents');
  expect(ne.lNetworkEvents).toBe(FD_WRITE);
  closeAll(client, server, ls);
  WSACloseEvent(ev);
});

test('a socket never registered enumerates as 0; bad arguments fail without clearing', () => {
  const { ls, client, server } = pair();
  const ne = new WSANETWORKEVENTS();
  check(WSAEnumNetworkEvents(client, null, ne), 'WSAEnumNetworkEvents');
  expect(ne.lNetworkEvents).toBe(0);
  expect(WSAEnumNetworkEvents(client, null, null)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEFAULT);
  closeAll(client, server, ls);
  expect(WSAEnumNetworkEvents(client, null, ne)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTSOCK);
});
