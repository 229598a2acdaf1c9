// Loopback fixtures for the select tests: real sockets on 127.0.0.1 (or ::1), nothing mocked.
import {
  AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, IPPROTO_TCP, INVALID_SOCKET, SOCKET_ERROR, SOCKADDR_IN, SOCKADDR_IN6,
  FIONBIO, WSAGetLastError, accept, bind, closesocket, connect, getsockname, htonl, inet_pton, ioctlsocket, listen,
  socket, sizeof, INADDR_LOOPBACK, type SOCKET,
} from '../src/index.js';

const opened = new Set<SOCKET>();

/** A socket that closeAll() closes; throws with the WSA code when socket() fails. */
export function open(af = AF_INET, type = SOCK_STREAM): SOCKET {
  const s = socket(af, type, 0);
  if (s === INVALID_SOCKET) throw new Error(`socket() failed: ${WSAGetLastError()}`);
  opened.add(s);
  return s;
}

export function track(s: SOCKET): SOCKET {
  if (s === INVALID_SOCKET) throw new Error(`accept() failed: ${WSAGetLastError()}`);
  opened.add(s);
  return s;
}

/** Closes every socket a test opened (ignoring those it already closed). */
export function closeAll(): void {
  for (const s of opened) closesocket(s);
  opened.clear();
}

export function nonblocking(s: SOCKET): void {
  if (ioctlsocket(s, FIONBIO, { value: 1 }) === SOCKET_ERROR) throw new Error(`ioctlsocket: ${WSAGetLastError()}`);
}

export function loopback(af = AF_INET, port = 0): SOCKADDR_IN | SOCKADDR_IN6 {
  if (af === AF_INET6) {
    const a = new SOCKADDR_IN6();
    a.sin6_family = AF_INET6;
    inet_pton(AF_INET6, '::1', a.sin6_addr);
    a.sin6_port = port;
    return a;
  }
  const a = new SOCKADDR_IN();
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = port;
  return a;
}

/** A listening socket on a free loopback port and its address. */
export function listener(af = AF_INET): { s: SOCKET; addr: SOCKADDR_IN | SOCKADDR_IN6 } {
  const s = open(af, SOCK_STREAM);
  const addr = loopback(af);
  if (bind(s, addr, sizeof(addr)) === SOCKET_ERROR) throw new Error(`bind: ${WSAGetLastError()}`);
  if (listen(s, 16) === SOCKET_ERROR) throw new Error(`listen: ${WSAGetLastError()}`);
  const len = { value: sizeof(addr) };
  if (getsockname(s, addr, len) === SOCKET_ERROR) throw new Error(`getsockname: ${WSAGetLastError()}`);
  return { s, addr };
}

/** A connected TCP pair over loopback: client and the accepted server side (both blocking). */
export function tcpPair(af = AF_INET): { client: SOCKET; server: SOCKET; lsock: SOCKET } {
  const { s: lsock, addr } = listener(af);
  const client = open(af, SOCK_STREAM);
  if (connect(client, addr, sizeof(addr)) === SOCKET_ERROR) throw new Error(`connect: ${WSAGetLastError()}`);
  const server = track(accept(lsock, null, null));
  return { client, server, lsock };
}

/** Whether this machine can bind ::1. */
export function hasIPv6(): boolean {
  const s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  if (s === INVALID_SOCKET) return false;
  const a = loopback(AF_INET6);
  const ok = bind(s, a, sizeof(a)) === 0;
  closesocket(s);
  return ok;
}

/** A port on 127.0.0.1 with nothing listening (bound, then closed). */
export function refusedAddress(): SOCKADDR_IN {
  const s = open(AF_INET, SOCK_STREAM);
  const a = loopback(AF_INET) as SOCKADDR_IN;
  bind(s, a, sizeof(a));
  const len = { value: sizeof(a) };
  getsockname(s, a, len);
  closesocket(s);
  opened.delete(s);
  return a;
}

export { SOCK_DGRAM };
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
