// On current Windows a successful send, recv, sendto, recvfrom, WSASend(To), synchronous WSARecv(From),
// getsockopt and setsockopt set the thread's last error to 0 (winsock-spec §2.1: Wine's tests assert it
// after each of these). Other calls leave it alone on success.
import { beforeAll, expect, test } from 'vitest';
import {
  SOL_SOCKET, SO_KEEPALIVE, WSABUF, WSAGetLastError, WSARecv, WSARecvFrom, WSASend, WSASendTo, WSASetLastError,
  getsockopt, recv, recvfrom, send, sendto, setsockopt, sizeof,
} from '../src/index.js';
import { startup, tcpPair, udpPair } from './helpers.js';

beforeAll(startup);

function clears(call: () => number): number {
  WSASetLastError(12345);
  expect(call()).toBeGreaterThanOrEqual(0);
  return WSAGetLastError();
}

test('each successful call leaves 0 in WSAGetLastError', () => {
  const p = tcpPair();
  const u = udpPair();
  const b = Buffer.alloc(8);
  const n = { value: 0 }, f = { value: 0 };
  const results = [
    clears(() => send(p.client, Buffer.from('ab'), 2, 0)),
    clears(() => recv(p.server, b, 1, 0)),
    clears(() => WSASend(p.client, [new WSABUF(2, Buffer.from('cd'))], 1, n, 0)),
    clears(() => WSARecv(p.server, [new WSABUF(8, b)], 1, n, f)),
    clears(() => sendto(u.a, Buffer.from('x'), 1, 0, u.addrB, sizeof(u.addrB))),
    clears(() => recvfrom(u.b, b, 8, 0, null, null)),
    clears(() => WSASendTo(u.a, [new WSABUF(1, Buffer.from('y'))], 1, n, 0, u.addrB, sizeof(u.addrB))),
    clears(() => WSARecvFrom(u.b, [new WSABUF(8, b)], 1, n, f, null, null)),
    clears(() => setsockopt(p.client, SOL_SOCKET, SO_KEEPALIVE, { value: 1 }, 4)),
    clears(() => getsockopt(p.client, SOL_SOCKET, SO_KEEPALIVE, { value: 0 }, { value: 4 })),
  ];
  expect(results).toEqual(new Array(results.length).fill(0));
  p.close();
  u.close();
});
