import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, AcceptEx, ConnectEx, GetAcceptExSockaddrs, SOCK_STREAM, SOCKET_ERROR, WSAGetLastError, WSAGetOverlappedResult,
  WSAOVERLAPPED, WSA_IO_PENDING, bind, closesocket, recv, send, sizeof, socket, ntohs, getsockname, SOCKADDR_IN,
  WSAEINVAL, WSAECONNREFUSED, WSA_OPERATION_ABORTED,
} from '../src/index.js';
import { listener, loopback4, startup } from './helpers.js';

beforeAll(startup);

const ADDR = 16 + 16;

test('AcceptEx pends, then turns the prepared socket into the connection and writes both addresses', async () => {
  const l = listener();
  const accepted = socket(AF_INET, SOCK_STREAM, 0);
  const out = Buffer.alloc(2 * ADDR);
  const ov = new WSAOVERLAPPED();
  expect(AcceptEx(l.s, accepted, out, 0, ADDR, ADDR, { value: 0 }, ov)).toBe(0);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  const c = socket(AF_INET, SOCK_STREAM, 0);
  const local = loopback4();
  expect(bind(c, local, sizeof(local))).toBe(0);
  expect(getsockname(c, local, { value: 16 })).toBe(0);
  const cov = new WSAOVERLAPPED();
  const r = ConnectEx(c, l.addr, sizeof(l.addr), Buffer.from('hello'), 5, { value: 0 }, cov);
  if (r === 0) expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  const n = { value: -1 };
  expect(await WSAGetOverlappedResult(l.s, ov, n, true, { value: 0 })).toBe(1);
  expect(await WSAGetOverlappedResult(c, cov, n, true, { value: 0 })).toBe(1);
  expect(n.value).toBe(5);
  const buf = Buffer.alloc(5);
  expect(recv(accepted, buf, 5, 0)).toBe(5); // the accept socket's number now is the connection
  expect(buf.toString()).toBe('hello');
  const la = { value: null as SOCKADDR_IN | null }, ra = { value: null as SOCKADDR_IN | null };
  const ll = { value: 0 }, rl = { value: 0 };
  GetAcceptExSockaddrs(out, 0, ADDR, ADDR, la as never, ll, ra as never, rl);
  expect([ll.value, rl.value, ntohs(la.value!.sin_port), ntohs(ra.value!.sin_port)])
    .toEqual([16, 16, ntohs((l.addr as SOCKADDR_IN).sin_port), ntohs(local.sin_port)]);
  for (const s of [c, accepted, l.s]) closesocket(s);
});

test('AcceptEx with dwReceiveDataLength completes only once the first data arrived, with its count', async () => {
  const l = listener();
  const accepted = socket(AF_INET, SOCK_STREAM, 0);
  const out = Buffer.alloc(64 + 2 * ADDR);
  const ov = new WSAOVERLAPPED();
  expect(AcceptEx(l.s, accepted, out, 64, ADDR, ADDR, { value: 0 }, ov)).toBe(0);
  const c = socket(AF_INET, SOCK_STREAM, 0);
  const local = loopback4();
  bind(c, local, sizeof(local));
  const cov = new WSAOVERLAPPED();
  ConnectEx(c, l.addr, sizeof(l.addr), null, 0, null, cov);
  expect(await WSAGetOverlappedResult(c, cov, { value: 0 }, true, { value: 0 })).toBe(1);
  // The connection is queued: after two loop turns the loop has polled the listener since.
  for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
  expect(ov.Internal).toBe(0x103); // connected, but no data yet
  send(c, Buffer.from('first'), 5, 0);
  const n = { value: 0 };
  expect(await WSAGetOverlappedResult(l.s, ov, n, true, { value: 0 })).toBe(1);
  expect([n.value, out.subarray(0, 5).toString()]).toEqual([5, 'first']);
  for (const s of [c, accepted, l.s]) closesocket(s);
});

test('ConnectEx on an unbound socket is WSAEINVAL; to a closed port it completes with WSAECONNREFUSED', async () => {
  const l = listener();
  const addr = l.addr;
  closesocket(l.s);
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(ConnectEx(s, addr, sizeof(addr), null, 0, null, new WSAOVERLAPPED())).toBe(0);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  const local = loopback4();
  bind(s, local, sizeof(local));
  const ov = new WSAOVERLAPPED();
  const r = ConnectEx(s, addr, sizeof(addr), null, 0, null, ov);
  if (r === 0 && WSAGetLastError() === WSA_IO_PENDING) {
    expect(await WSAGetOverlappedResult(s, ov, { value: 0 }, true, { value: 0 })).toBe(0);
  }
  expect(WSAGetLastError()).toBe(WSAECONNREFUSED);
  closesocket(s);
});

test('closing the listener aborts a pending AcceptEx with WSA_OPERATION_ABORTED', () => {
  const l = listener();
  const accepted = socket(AF_INET, SOCK_STREAM, 0);
  const ov = new WSAOVERLAPPED();
  expect(AcceptEx(l.s, accepted, Buffer.alloc(2 * ADDR), 0, ADDR, ADDR, null, ov)).toBe(0);
  closesocket(l.s);
  expect(ov.Internal).toBe(WSA_OPERATION_ABORTED);
  closesocket(accepted);
  expect(SOCKET_ERROR).toBe(-1);
});
