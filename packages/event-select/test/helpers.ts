// Loopback fixtures for the WSAEventSelect tests: real sockets on 127.0.0.1, bounded waits.
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, accept, connect, getsockname, closesocket, inet_pton, sizeof,
  SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, WSAGetLastError, WSAWaitForMultipleEvents,
  WSAEnumNetworkEvents, WSANETWORKEVENTS, WSA_WAIT_EVENT_0, FALSE, type SOCKET, type WSAEVENT,
} from '../src/index.js';

export function startup(): void {
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) throw new Error('WSAStartup failed');
}

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
  const len = { value: sizeof(addr) };
  check(getsockname(ls, addr, len), 'getsockname');
  return { ls, addr };
}

/** A blocking client connected to the listener (the connection waits in its backlog). */
export function dial(addr: SOCKADDR_IN): SOCKET {
  const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
  check(connect(s, addr, sizeof(addr)), 'connect');
  return s;
}

/** A connected pair: client (blocking) and server (the accepted socket, blocking), plus the listener. */
export function pair(): { ls: SOCKET; client: SOCKET; server: SOCKET; addr: SOCKADDR_IN } {
  const { ls, addr } = listener();
  const client = dial(addr);
  const server = check(accept(ls, null, null), 'accept');
  return { ls, client, server, addr };
}

export function closeAll(...sockets: SOCKET[]): void {
  for (const s of sockets) closesocket(s);
}

/** True when ev is signalled within ms (WSA_WAIT_EVENT_0), false on WSA_WAIT_TIMEOUT. */
export async function signalled(ev: WSAEVENT, ms: number): Promise<boolean> {
  const r = await WSAWaitForMultipleEvents(1, [ev], FALSE, ms, FALSE);
  if (r !== WSA_WAIT_EVENT_0 && r !== 258) throw new Error(`wait failed: ${r} ${WSAGetLastError()}`);
  return r === WSA_WAIT_EVENT_0;
}

/** Waits (bounded) for ev, then enumerates s's events, resetting ev. */
export async function next(s: SOCKET, ev: WSAEVENT, ms = 5000): Promise<WSANETWORKEVENTS> {
  if (!(await signalled(ev, ms))) throw new Error(`no network event for socket ${s} within ${ms} ms`);
  return enumerate(s, ev);
}

export function enumerate(s: SOCKET, ev: WSAEVENT | null): WSANETWORKEVENTS {
  const ne = new WSANETWORKEVENTS();
  check(WSAEnumNetworkEvents(s, ev, ne), 'WSAEnumNetworkEvents');
  return ne;
}

/** Enumerates until `bits` have all been seen (events may arrive in more than one signal). */
export async function collect(s: SOCKET, ev: WSAEVENT, bits: number, ms = 5000): Promise<{ seen: number; err: number[] }> {
  let seen = 0;
  const err = new Array<number>(10).fill(0);
  const deadline = Date.now() + ms;
  while ((seen & bits) !== bits && Date.now() < deadline) {
    if (!(await signalled(ev, Math.max(1, deadline - Date.now())))) break;
    const ne = enumerate(s, ev);
    seen |= ne.lNetworkEvents;
    for (let b = 0; b < 10; b++) if (ne.lNetworkEvents & (1 << b)) err[b] = ne.iErrorCode[b]!;
  }
  return { seen, err };
}
