// A datagram larger than the receive buffers is WSAEMSGSIZE with its first bytes delivered, and the
// flags that come back are 0: Winsock sets MSG_PARTIAL only for providers that support partial
// messages, never for UDP (winsock-spec §3.8 "lpFlags out"; Wine's socket_apc passes 0).
import { beforeAll, expect, test } from 'vitest';
import {
  SOCKET_ERROR, SleepEx, INFINITE, WAIT_IO_COMPLETION, WSABUF, WSAEMSGSIZE, WSAGetLastError, WSAGetOverlappedResult,
  WSAOVERLAPPED, WSARecv, WSARecvFrom, WSA_IO_PENDING, WSACreateEvent, WSACloseEvent, connect, send, sizeof, recv,
  SOCKADDR_IN, ioctlsocket, FIONBIO, WSAEWOULDBLOCK,
} from '../src/index.js';
import { startup, udpPair } from './helpers.js';

beforeAll(startup);

function connectedPair() {
  const u = udpPair();
  expect(connect(u.a, u.addrB, sizeof(u.addrB))).toBe(0);
  return u;
}

test('synchronous WSARecv and WSARecvFrom: WSAEMSGSIZE, the bytes copied, lpFlags 0', () => {
  const u = connectedPair();
  send(u.a, Buffer.from('0123456789'), 10, 0);
  send(u.a, Buffer.from('abcdefghij'), 10, 0);
  const buf = Buffer.alloc(4);
  const n = { value: 0 }, flags = { value: 0 };
  expect(WSARecv(u.b, [new WSABUF(4, buf)], 1, n, flags)).toBe(SOCKET_ERROR);
  expect([WSAGetLastError(), n.value, flags.value, buf.toString()]).toEqual([WSAEMSGSIZE, 4, 0, '0123']);
  flags.value = 0;
  expect(WSARecvFrom(u.b, [new WSABUF(4, buf)], 1, n, flags, new SOCKADDR_IN(), { value: 16 })).toBe(SOCKET_ERROR);
  expect([WSAGetLastError(), n.value, flags.value, buf.toString()]).toEqual([WSAEMSGSIZE, 4, 0, 'abcd']);
  u.close();
});

test('overlapped with an event: WSAGetOverlappedResult gives FALSE, WSAEMSGSIZE, the bytes, and lpdwFlags 0', async () => {
  const u = connectedPair();
  const ev = WSACreateEvent();
  const ov = new WSAOVERLAPPED();
  ov.hEvent = ev;
  const buf = Buffer.alloc(4);
  expect(WSARecv(u.b, [new WSABUF(4, buf)], 1, null, { value: 0 }, ov)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSA_IO_PENDING);
  send(u.a, Buffer.from('0123456789'), 10, 0);
  const n = { value: 0 }, f = { value: 0x55 };
  expect(await WSAGetOverlappedResult(u.b, ov, n, true, f)).toBe(0);
  expect([WSAGetLastError(), n.value, f.value, buf.toString()]).toEqual([WSAEMSGSIZE, 4, 0, '0123']);
  WSACloseEvent(ev);
  u.close();
});

test('overlapped with a completion routine: dwError WSAEMSGSIZE, the bytes, dwFlags 0', async () => {
  const u = connectedPair();
  send(u.a, Buffer.from('0123456789'), 10, 0);
  const calls: number[][] = [];
  const buf = Buffer.alloc(4);
  const r = WSARecv(u.b, [new WSABUF(4, buf)], 1, null, { value: 0 }, new WSAOVERLAPPED(),
    (e, n, _o, f) => calls.push([e, n, f]));
  // Immediate (or pending) completion: either way the routine reports the truncation.
  if (r === SOCKET_ERROR) expect(WSAGetLastError()).toBe(WSAEMSGSIZE);
  expect(await SleepEx(INFINITE, true)).toBe(WAIT_IO_COMPLETION);
  expect(calls).toEqual([[WSAEMSGSIZE, 4, 0]]);
  expect(ioctlsocket(u.b, FIONBIO, { value: 1 })).toBe(0);
  expect(recv(u.b, Buffer.alloc(1), 1, 0)).toBe(SOCKET_ERROR);  // the rest of the datagram is gone
  expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
  u.close();
});
