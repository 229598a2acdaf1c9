// Shared set-up for core's tests: Winsock started once per file, loopback addresses, connected pairs.
import {
  AF_INET, AF_INET6, INVALID_SOCKET, IPPROTO_TCP, MAKEWORD, SOCK_DGRAM, SOCK_STREAM, SOCKADDR_IN, SOCKADDR_IN6,
  SOCKET_ERROR, WSADATA, WSAGetLastError, WSAStartup, accept, bind, closesocket, connect, getsockname, htons,
  inet_pton, listen, sizeof, socket, type SOCKET,
} from '../src/index.js';

export function startup(): void {
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) throw new Error('WSAStartup failed');
}

/** Fails the test with the WSA code when a call returned its failure value. */
export function ok(result: number, what: string): number {
  if (result === SOCKET_ERROR) throw new Error(`${what} failed with ${WSAGetLastError()}`);
  return result;
}

export function loopback4(port = 0): SOCKADDR_IN {
  const a = new SOCKADDR_IN();
  a.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', a.sin_addr);
  a.sin_port = htons(port);
  return a;
}

export function loopback6(port = 0): SOCKADDR_IN6 {
  const a = new SOCKADDR_IN6();
  a.sin6_family = AF_INET6;
  inet_pton(AF_INET6, '::1', a.sin6_addr);
  a.sin6_port = htons(port);
  return a;
}

/** A bound listening TCP socket on loopback and its address (port filled in). */
export function listener(family: number = AF_INET): { s: SOCKET; addr: SOCKADDR_IN | SOCKADDR_IN6 } {
  const s = socket(family, SOCK_STREAM, IPPROTO_TCP);
  if (s === INVALID_SOCKET) throw new Error(`socket failed with ${WSAGetLastError()}`);
  const addr = family === AF_INET ? loopback4() : loopback6();
  ok(bind(s, addr, sizeof(addr)), 'bind');
  ok(listen(s, 16), 'listen');
  ok(getsockname(s, addr, { value: sizeof(addr) }), 'getsockname');
  return { s, addr };
}

/** A connected TCP pair over loopback: client and the accepted server side (both blocking). */
export function tcpPair(family: number = AF_INET): { client: SOCKET; server: SOCKET; close(): void } {
  const l = listener(family);
  const client = socket(family, SOCK_STREAM, 0);
  ok(connect(client, l.addr, sizeof(l.addr)), 'connect');
  const server = ok(accept(l.s, null, null), 'accept');
  closesocket(l.s);
  return { client, server, close: () => { closesocket(client); closesocket(server); } };
}

/** Two bound UDP sockets on loopback, each connected to the other's address. */
export function udpPair(): { a: SOCKET; b: SOCKET; addrA: SOCKADDR_IN; addrB: SOCKADDR_IN; close(): void } {
  const a = socket(AF_INET, SOCK_DGRAM, 0);
  const b = socket(AF_INET, SOCK_DGRAM, 0);
  const addrA = loopback4();
  const addrB = loopback4();
  ok(bind(a, addrA, sizeof(addrA)), 'bind a');
  ok(bind(b, addrB, sizeof(addrB)), 'bind b');
  ok(getsockname(a, addrA, { value: sizeof(addrA) }), 'getsockname a');
  ok(getsockname(b, addrB, { value: sizeof(addrB) }), 'getsockname b');
  return { a, b, addrA, addrB, close: () => { closesocket(a); closesocket(b); } };
}

export function hasIPv6Loopback(): boolean {
  const s = socket(AF_INET6, SOCK_STREAM, 0);
  if (s === INVALID_SOCKET) return false;
  const addr = loopback6();
  const r = bind(s, addr, sizeof(addr));
  closesocket(s);
  return r === 0;
}
