// Loopback sockets for the tests.
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, connect, accept, getsockname, closesocket, inet_pton, htons,
  sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, SOCKET_ERROR, WSAGetLastError, type SOCKET,
} from '../src/index.js';

export function startup(): void {
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) throw new Error('WSAStartup failed');
}

function ok(r: number, what: string): number {
  if (r === SOCKET_ERROR) throw new Error(`${what} failed with ${WSAGetLastError()}`);
  return r;
}

export function listener(): { s: SOCKET; addr: SOCKADDR_IN } {
  const s = socket(AF_INET, SOCK_STREAM, 0);
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  addr.sin_port = htons(0);
  ok(bind(s, addr, sizeof(addr)), 'bind');
  ok(listen(s, 128), 'listen');
  ok(getsockname(s, addr, { value: sizeof(addr) }), 'getsockname');
  return { s, addr };
}

export function tcpPair(): { client: SOCKET; server: SOCKET } {
  const l = listener();
  const client = socket(AF_INET, SOCK_STREAM, 0);
  ok(connect(client, l.addr, sizeof(l.addr)), 'connect');
  const server = ok(accept(l.s, null, null), 'accept');
  closesocket(l.s);
  return { client, server };
}
