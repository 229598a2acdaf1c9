// On a connection-oriented socket sendto and WSASendTo ignore lpTo/tolen, even a malformed one: they
// are send and WSASend (Microsoft's sendto and WSASendTo pages; Wine's test_send).
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET6, SOCKADDR_IN6, SOCKET_ERROR, WSAENOTCONN, WSAGetLastError, WSASendTo, closesocket, recv, sendto, socket,
  AF_INET, SOCK_STREAM, sizeof,
} from '../src/index.js';
import { startup, tcpPair } from './helpers.js';

beforeAll(startup);

test('sendto on a connected TCP socket sends, whatever the address says', () => {
  const p = tcpPair();
  const garbage = new Uint8Array(16).fill(0xee);  // family 0xeeee
  expect(sendto(p.client, Buffer.from('ab'), 2, 0, garbage, garbage.length)).toBe(2);
  const v6 = new SOCKADDR_IN6();
  v6.sin6_family = AF_INET6;  // the wrong family for this IPv4 socket
  expect(sendto(p.client, Buffer.from('cd'), 2, 0, v6, sizeof(v6))).toBe(2);
  expect(sendto(p.client, Buffer.from('ef'), 2, 0, garbage, 1)).toBe(2);  // too short to be an address
  const sent = { value: 0 };
  expect(WSASendTo(p.client, [{ len: 2, buf: Buffer.from('gh') }], 1, sent, 0, garbage, 3, null, null)).toBe(0);
  expect(sent.value).toBe(2);
  const buf = Buffer.alloc(16);
  let got = '';
  while (got.length < 8) got += buf.subarray(0, recv(p.server, buf, 16, 0)).toString();
  expect(got).toBe('abcdefgh');
  p.close();
});

test('sendto on an unconnected TCP socket is WSAENOTCONN, also with a malformed address', () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(sendto(s, Buffer.from('x'), 1, 0, new Uint8Array(16).fill(0xee), 16)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAENOTCONN);
  closesocket(s);
});
