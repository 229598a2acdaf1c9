// Loopback fixtures for the model packages' tests: real sockets on 127.0.0.1, blocking unless a test
// changes that, failing loudly with the WSA code when a set-up call fails.
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, accept, connect, getsockname, closesocket, inet_pton, sizeof,
  SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, WSAGetLastError, type SOCKET,
} from '@winsock-models/core';

export function startup(): void {
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) throw new Error('WSAStartup failed');
}

/** The call's result, or an Error naming the call and the WSA code when it returned its failure value. */
export function check(result: number, what: string): number {
  if (result === SOCKET_ERROR || result === INVALID_SOCKET) throw new Error(`${what} failed: ${WSAGetLastError()}`);
  return result;
}

/** A listening TCP socket on 127.0.0.1 with a free port; addr is where to connect. */
export function listener(): { ls: SOCKET; addr: SOCKADDR_IN } {
  const ls = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  check(bind(ls, addr, sizeof(addr)), 'bind');
  check(listen(ls, 16), 'listen');
  check(getsockname(ls, addr, { value: sizeof(addr) }), 'getsockname');
  return { ls, addr };
}

/** A blocking client connected to the listener (the connection waits in its backlog). */
export function dial(addr: SOCKADDR_IN): SOCKET {
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(connect(s, addr, sizeof(addr)), 'connect');
  return s;
}

/** A connected pair: client and server (the accepted socket), both blocking, plus the listener. */
export function pair(): { ls: SOCKET; client: SOCKET; server: SOCKET; addr: SOCKADDR_IN } {
  const { ls, addr } = listener();
  const client = dial(addr);
  const server = check(accept(ls, null, null), 'accept');
  return { ls, client, server, addr };
}

export function closeAll(...sockets: SOCKET[]): void {
  for (const s of sockets) closesocket(s);
}
