import { expect, test } from 'vitest';
import {
  AF_INET, AF_INET6, IN_ADDR, INADDR_LOOPBACK, INADDR_NONE, LINGER, MAKEWORD, SOCKADDR, SOCKADDR_IN, SOCKADDR_IN6,
  SOCKADDR_STORAGE, WSABUF, WSADATA, WSAEAFNOSUPPORT, WSAEINVAL, WSAGetLastError, htonl, htons, inet_addr, inet_ntoa,
  inet_ntop, inet_pton, ntohl, ntohs, sizeof,
} from '../src/index.js';
import { MEMORY } from '../src/internal.js';

test('sizeof gives C\'s sizes for structs, classes, { value } boxes and byte arrays', () => {
  expect(sizeof(new SOCKADDR_IN())).toBe(16);
  expect(sizeof(SOCKADDR_IN)).toBe(16);
  expect(sizeof(new SOCKADDR_IN6())).toBe(28);
  expect(sizeof(new SOCKADDR())).toBe(16);
  expect(sizeof(new SOCKADDR_STORAGE())).toBe(128);
  expect(sizeof(new LINGER())).toBe(4);
  expect(sizeof(new IN_ADDR())).toBe(4);
  expect(sizeof(new WSADATA())).toBe(408);
  expect(sizeof(new WSABUF())).toBe(16);
  expect(sizeof({ value: 0 })).toBe(4);
  expect(sizeof(new Uint8Array(9))).toBe(9);
  expect(() => sizeof(42 as never)).toThrow(TypeError);
});

test('structs start zeroed; sin_port and s_addr hold network byte order as C reads it from memory', () => {
  const a = new SOCKADDR_IN();
  expect([a.sin_family, a.sin_port, a.sin_addr.s_addr]).toEqual([0, 0, 0]);
  a.sin_family = AF_INET;
  a.sin_port = htons(9000);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  expect([...sizeofBytes(a)].slice(0, 8)).toEqual([2, 0, 0x23, 0x28, 127, 0, 0, 1]);
  expect(ntohs(a.sin_port)).toBe(9000);
  expect(ntohl(a.sin_addr.s_addr)).toBe(INADDR_LOOPBACK);
  expect(inet_ntoa(a.sin_addr)).toBe('127.0.0.1');
});

function sizeofBytes(a: SOCKADDR_IN): Uint8Array {
  return (a as unknown as { [k: symbol]: Uint8Array })[MEMORY];
}

test('htons/htonl swap on this little-endian host and are their own inverses', () => {
  expect(htons(0x1234)).toBe(0x3412);
  expect(htonl(0x01020304)).toBe(0x04030201);
  expect(ntohl(htonl(0xdeadbeef))).toBe(0xdeadbeef);
  expect(MAKEWORD(2, 2)).toBe(0x0202);
});

test('inet_pton and inet_ntop round-trip IPv4 and IPv6; bad text is 0, a bad family WSAEAFNOSUPPORT', () => {
  const a6 = new SOCKADDR_IN6();
  expect(inet_pton(AF_INET6, '::1', a6.sin6_addr)).toBe(1);
  expect(a6.sin6_addr.s6_addr[15]).toBe(1);
  expect(inet_ntop(AF_INET6, a6.sin6_addr)).toBe('::1');
  const a4 = new IN_ADDR();
  expect(inet_pton(AF_INET, '10.1.2.3', a4)).toBe(1);
  expect(inet_ntop(AF_INET, a4)).toBe('10.1.2.3');
  expect(inet_pton(AF_INET, '300.1.2.3', a4)).toBe(0);
  expect(inet_pton(AF_INET, 'nonsense', a4)).toBe(0);
  expect(inet_pton(99, '1.2.3.4', a4)).toBe(-1);
  expect(WSAGetLastError()).toBe(WSAEAFNOSUPPORT);
  const text = new Uint8Array(16);
  expect(inet_ntop(AF_INET, a4, text, 16)).toBe('10.1.2.3');
  expect(Buffer.from(text.subarray(0, 9)).toString('latin1')).toBe('10.1.2.3\0');
  expect(inet_ntop(AF_INET, a4, text, 4)).toBeNull();
  expect(WSAGetLastError()).toBe(WSAEINVAL);
});

test('inet_addr reads the dotted forms Windows reads, in network byte order, and INADDR_NONE otherwise', () => {
  expect(inet_addr('127.0.0.1')).toBe(htonl(0x7f000001));
  expect(inet_addr('10.0.0.0x10')).toBe(htonl(0x0a000010));
  expect(inet_addr('127.1')).toBe(htonl(0x7f000001));
  expect(inet_addr('0177.0.0.1')).toBe(htonl(0x7f000001));
  expect(inet_addr('256.0.0.1')).toBe(INADDR_NONE);
  expect(inet_addr('1.2.3.4.5')).toBe(INADDR_NONE);
  expect(inet_addr('abc')).toBe(INADDR_NONE);
});

test('ZeroMemory clears the first n bytes: a whole struct, or only the WSAOVERLAPPED a struct begins with', async () => {
  const { WSAOVERLAPPED, ZeroMemory } = await import('../src/index.js');
  class SOCKETINFO extends WSAOVERLAPPED { sock = 7; recvbytes = 3; }
  const p = new SOCKETINFO();
  p.Internal = 1; p.InternalHigh = 2; p.Offset = 3; p.OffsetHigh = 4; p.hEvent = 5;
  ZeroMemory(p, sizeof(WSAOVERLAPPED));
  expect([p.Internal, p.InternalHigh, p.Offset, p.OffsetHigh, p.hEvent, p.sock, p.recvbytes]).toEqual([0, 0, 0, 0, 0, 7, 3]);
  p.Internal = 1;
  p.hEvent = 5;
  ZeroMemory(p, 8);
  expect([p.Internal, p.hEvent]).toEqual([0, 5]);
  const a = new SOCKADDR_IN();
  a.sin_port = 99;
  ZeroMemory(a, sizeof(a));
  expect(a.sin_port).toBe(0);
  expect(() => ZeroMemory({}, 4)).toThrow(TypeError);
});

test('ZeroMemory on bytes clears exactly the first Length, short or long, and never past the memory', async () => {
  const { ZeroMemory } = await import('../src/index.js');
  for (const n of [0, 1, 31, 32, 63, 64, 65, 200]) {
    const b = new Uint8Array(100).fill(9);
    ZeroMemory(b, n);
    const cleared = Math.min(n, 100);
    expect(b.subarray(0, cleared).every((x) => x === 0)).toBe(true);
    expect(b.subarray(cleared).every((x) => x === 9)).toBe(true);
  }
  // Past a small struct's memory: everything, and nothing beyond it (the view's neighbours stay).
  const backing = new Uint8Array(48).fill(9);
  ZeroMemory(backing.subarray(8, 40), 40);
  expect([...backing.subarray(0, 8), ...backing.subarray(40)].every((x) => x === 9)).toBe(true);
  expect(backing.subarray(8, 40).every((x) => x === 0)).toBe(true);
});
