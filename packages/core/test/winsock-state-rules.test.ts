// Where Linux would succeed or say something else, Winsock's answer wins (spec §2.4, §3.14).
import { beforeAll, expect, test } from 'vitest';
import {
  AF_INET, AF_INET6, FIONBIO, FIONREAD, SD_BOTH, SD_RECEIVE, SD_SEND, SOCK_DGRAM, SOCK_STREAM, SOCKET_ERROR,
  SOCKADDR_IN, WSAEAFNOSUPPORT, WSAEALREADY, WSAEINVAL, WSAENOTCONN, WSAEOPNOTSUPP, WSAEPROTONOSUPPORT,
  WSAESHUTDOWN, WSAESOCKTNOSUPPORT, WSAGetLastError, bind, closesocket, connect, getpeername, getsockname,
  ioctlsocket, listen, recv, send, shutdown, sizeof, socket, IPPROTO_UDP, INVALID_SOCKET, SOCK_RAW, WSAEISCONN,
  WSAEADDRINUSE, ntohs,
} from '../src/index.js';
import { listener, loopback4, startup, tcpPair } from './helpers.js';

beforeAll(startup);

function fails(result: number, code: number): void {
  expect(result).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(code);
}

test('socket() refuses a bad family, type or protocol with Winsock\'s three codes', () => {
  fails(socket(99, SOCK_STREAM, 0), WSAEAFNOSUPPORT);
  fails(socket(AF_INET, SOCK_RAW, 0), WSAESOCKTNOSUPPORT);
  fails(socket(AF_INET, 77, 0), WSAESOCKTNOSUPPORT);
  fails(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), WSAEPROTONOSUPPORT);
  expect(INVALID_SOCKET).toBe(-1);
});

test('listen on an unbound TCP socket is WSAEINVAL (Linux would bind a port); on UDP WSAEOPNOTSUPP', () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  fails(listen(s, 5), WSAEINVAL);
  const u = socket(AF_INET, SOCK_DGRAM, 0);
  fails(listen(u, 5), WSAEOPNOTSUPP);
  closesocket(s);
  closesocket(u);
});

test('getsockname before bind is WSAEINVAL, getpeername before connect WSAENOTCONN; bind twice WSAEINVAL', () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  const a = new SOCKADDR_IN();
  fails(getsockname(s, a, { value: 16 }), WSAEINVAL);
  fails(getpeername(s, a, { value: 16 }), WSAENOTCONN);
  const addr = loopback4();
  expect(bind(s, addr, sizeof(addr))).toBe(0);
  fails(bind(s, addr, sizeof(addr)), WSAEINVAL);
  const len = { value: 16 };
  expect(getsockname(s, a, len)).toBe(0);
  expect([a.sin_family, len.value, ntohs(a.sin_port) > 0]).toEqual([AF_INET, 16, true]);
  closesocket(s);
});

test('binding a port another listener holds is WSAEADDRINUSE; an IPv4 address on an IPv6 socket is refused', () => {
  const l = listener();
  const s = socket(AF_INET, SOCK_STREAM, 0);
  fails(bind(s, l.addr, sizeof(l.addr)), WSAEADDRINUSE);
  const s6 = socket(AF_INET6, SOCK_STREAM, 0);
  expect(bind(s6, l.addr, sizeof(l.addr))).toBe(SOCKET_ERROR);
  closesocket(s);
  closesocket(s6);
  closesocket(l.s);
});

test('send and recv on an unconnected TCP socket are WSAENOTCONN; send on an unconnected UDP socket too', () => {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  fails(send(s, Buffer.alloc(1), 1, 0), WSAENOTCONN);
  fails(recv(s, Buffer.alloc(1), 1, 0), WSAENOTCONN);
  fails(shutdown(s, SD_SEND), WSAENOTCONN);
  const u = socket(AF_INET, SOCK_DGRAM, 0);
  fails(send(u, Buffer.alloc(1), 1, 0), WSAENOTCONN);
  fails(recv(u, Buffer.alloc(1), 1, 0), WSAEINVAL); // an unbound datagram socket has no address to receive on
  closesocket(s);
  closesocket(u);
});

test('after shutdown(SD_SEND) send is WSAESHUTDOWN; after SD_RECEIVE recv is; a bad how is WSAEINVAL', () => {
  const p = tcpPair();
  expect(shutdown(p.client, SD_SEND)).toBe(0);
  fails(send(p.client, Buffer.alloc(1), 1, 0), WSAESHUTDOWN);
  expect(shutdown(p.server, SD_RECEIVE)).toBe(0);
  fails(recv(p.server, Buffer.alloc(1), 1, 0), WSAESHUTDOWN);
  fails(shutdown(p.server, 7), WSAEINVAL);
  expect(shutdown(p.server, SD_BOTH)).toBe(0);
  p.close();
});

test('connect while a non-blocking connect is under way is WSAEALREADY; on a connected socket WSAEISCONN; on a listener WSAEINVAL', () => {
  const l = listener();
  const s = socket(AF_INET, SOCK_STREAM, 0);
  expect(ioctlsocket(s, FIONBIO, { value: 1 })).toBe(0);
  expect(connect(s, l.addr, sizeof(l.addr))).toBe(SOCKET_ERROR);
  const second = connect(s, l.addr, sizeof(l.addr));
  // On loopback the first connect may already be complete by the second call.
  expect(second).toBe(SOCKET_ERROR);
  expect([WSAEALREADY, WSAEISCONN]).toContain(WSAGetLastError());
  fails(connect(l.s, l.addr, sizeof(l.addr)), WSAEINVAL);
  const c2 = socket(AF_INET, SOCK_STREAM, 0);
  expect(connect(c2, l.addr, sizeof(l.addr))).toBe(0);
  fails(connect(c2, l.addr, sizeof(l.addr)), WSAEISCONN);
  for (const x of [s, c2, l.s]) closesocket(x);
});

test('FIONREAD counts the bytes waiting; on a listening socket it is 0', () => {
  const p = tcpPair();
  expect(send(p.client, Buffer.from('12345'), 5, 0)).toBe(5);
  const n = { value: -1 };
  for (let i = 0; i < 100 && n.value !== 5; i++) expect(ioctlsocket(p.server, FIONREAD, n)).toBe(0);
  expect(n.value).toBe(5);
  const l = listener();
  expect(ioctlsocket(l.s, FIONREAD, n)).toBe(0);
  expect(n.value).toBe(0);
  closesocket(l.s);
  p.close();
});

test('a sockaddr of the wrong family for the socket is refused by connect', () => {
  const s = socket(AF_INET6, SOCK_STREAM, 0);
  const a = loopback4(9);
  fails(connect(s, a, sizeof(a)), WSAEAFNOSUPPORT);
  closesocket(s);
});
