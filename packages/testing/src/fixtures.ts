// The loopback fixtures every package's tests use, over the Winsock face they are given: real sockets
// on 127.0.0.1 (or ::1), blocking unless a test changes that, failing loudly with the WSA code when a
// set-up call fails. This file imports no package: core's own tests pass core's source, the model
// packages get them bound to @winsock-models/core (index.ts), so one process never loads two copies.

type SOCKET = number;

/** An IPv4 or IPv6 socket address as the faces define it (only what the fixtures touch). */
export interface LoopbackAddress { sin_family?: number; sin6_family?: number }

/** The calls, structs and constants the fixtures use: any Winsock face of this repo has them. */
export interface WinsockFace<A4 extends LoopbackAddress = LoopbackAddress, A6 extends LoopbackAddress = LoopbackAddress> {
  WSAStartup(version: number, data: never): number;
  WSADATA: new () => unknown;
  MAKEWORD(lo: number, hi: number): number;
  WSAGetLastError(): number;
  socket(af: number, type: number, protocol: number): SOCKET;
  bind(s: SOCKET, addr: A4 | A6, len: number): number;
  listen(s: SOCKET, backlog: number): number;
  accept(s: SOCKET, addr: null, len: null): SOCKET;
  connect(s: SOCKET, addr: A4 | A6, len: number): number;
  getsockname(s: SOCKET, addr: A4 | A6, len: { value: number }): number;
  closesocket(s: SOCKET): number;
  ioctlsocket(s: SOCKET, cmd: number, arg: { value: number }): number;
  inet_pton(af: number, src: string, dst: never): number;
  htons(v: number): number;
  sizeof(o: never): number;
  SOCKADDR_IN: new () => A4;
  SOCKADDR_IN6: new () => A6;
  AF_INET: number; AF_INET6: number; SOCK_STREAM: number; SOCK_DGRAM: number; FIONBIO: number;
  INVALID_SOCKET: number; SOCKET_ERROR: number;
}

/** The fixtures, bound to one face. */
export function fixtures<A4 extends LoopbackAddress, A6 extends LoopbackAddress>(ws: WinsockFace<A4, A6>) {
  const { AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOCKET_ERROR, INVALID_SOCKET } = ws;
  // The faces' structs are classes the calls accept; the structural face above cannot say so.
  const size = (o: unknown) => ws.sizeof(o as never);

  function startup(): void {
    if (ws.WSAStartup(ws.MAKEWORD(2, 2), new ws.WSADATA() as never) !== 0) throw new Error('WSAStartup failed');
  }

  /** The call's result, or an Error naming the call and the WSA code when it returned its failure value. */
  function check(result: number, what: string): number {
    if (result === SOCKET_ERROR || result === INVALID_SOCKET) throw new Error(`${what} failed: ${ws.WSAGetLastError()}`);
    return result;
  }

  function loopback4(port = 0): A4 {
    const a = new ws.SOCKADDR_IN() as A4 & { sin_family: number; sin_port: number; sin_addr: unknown };
    a.sin_family = AF_INET;
    ws.inet_pton(AF_INET, '127.0.0.1', a.sin_addr as never);
    a.sin_port = ws.htons(port);
    return a;
  }

  function loopback6(port = 0): A6 {
    const a = new ws.SOCKADDR_IN6() as A6 & { sin6_family: number; sin6_port: number; sin6_addr: unknown };
    a.sin6_family = AF_INET6;
    ws.inet_pton(AF_INET6, '::1', a.sin6_addr as never);
    a.sin6_port = ws.htons(port);
    return a;
  }

  /** The loopback address of family af (port 0 unless given, in host order). */
  function loopback(af = AF_INET, port = 0): A4 | A6 {
    return af === AF_INET6 ? loopback6(port) : loopback4(port);
  }

  /** A listening TCP socket on a free loopback port; addr is where to connect (port filled in). */
  function listener(af = AF_INET): { ls: SOCKET; addr: A4 | A6 } {
    const ls = check(ws.socket(af, SOCK_STREAM, 0), 'socket');
    const addr = loopback(af);
    check(ws.bind(ls, addr, size(addr)), 'bind');
    check(ws.listen(ls, 16), 'listen');
    check(ws.getsockname(ls, addr, { value: size(addr) }), 'getsockname');
    return { ls, addr };
  }

  /** A blocking client connected to addr (a listener's connection then waits in its backlog). */
  function dial(addr: A4 | A6): SOCKET {
    const af = addr.sin6_family === AF_INET6 ? AF_INET6 : AF_INET;
    const s = check(ws.socket(af, SOCK_STREAM, 0), 'socket');
    check(ws.connect(s, addr, size(addr)), 'connect');
    return s;
  }

  /** A connected TCP pair: client and server (the accepted socket), both blocking, plus the listener. */
  function pair(af = AF_INET): { ls: SOCKET; client: SOCKET; server: SOCKET; addr: A4 | A6; close(): void } {
    const { ls, addr } = listener(af);
    const client = dial(addr);
    const server = check(ws.accept(ls, null, null), 'accept');
    return { ls, client, server, addr, close: () => closeAll(client, server, ls) };
  }

  /** Two bound UDP sockets on 127.0.0.1 and their addresses. */
  function udpPair(): { a: SOCKET; b: SOCKET; addrA: A4; addrB: A4; close(): void } {
    const bound = () => {
      const s = check(ws.socket(AF_INET, SOCK_DGRAM, 0), 'socket');
      const addr = loopback4();
      check(ws.bind(s, addr, size(addr)), 'bind');
      check(ws.getsockname(s, addr, { value: size(addr) }), 'getsockname');
      return { s, addr };
    };
    const a = bound(), b = bound();
    return { a: a.s, b: b.s, addrA: a.addr, addrB: b.addr, close: () => closeAll(a.s, b.s) };
  }

  /** A 127.0.0.1 address with nothing listening (bound, then closed): a connect there is refused. */
  function refusedAddress(): A4 {
    const s = check(ws.socket(AF_INET, SOCK_STREAM, 0), 'socket');
    const a = loopback4();
    check(ws.bind(s, a, size(a)), 'bind');
    check(ws.getsockname(s, a, { value: size(a) }), 'getsockname');
    ws.closesocket(s);
    return a;
  }

  /** Whether this machine can bind ::1. */
  function hasIPv6Loopback(): boolean {
    const s = ws.socket(AF_INET6, SOCK_STREAM, 0);
    if (s === INVALID_SOCKET) return false;
    const a = loopback6();
    const r = ws.bind(s, a, size(a));
    ws.closesocket(s);
    return r === 0;
  }

  function nonblocking(s: SOCKET): void {
    check(ws.ioctlsocket(s, ws.FIONBIO, { value: 1 }), 'ioctlsocket(FIONBIO)');
  }

  function closeAll(...sockets: SOCKET[]): void {
    for (const s of sockets) ws.closesocket(s);
  }

  return {
    startup, check, loopback, loopback4, loopback6, listener, dial, pair, udpPair, refusedAddress, hasIPv6Loopback,
    nonblocking, closeAll,
  };
}

/**
 * Resolves once the event loop has run a whole poll phase that began after this call: a socket
 * condition already true when it is called has then been seen by every watcher armed for it. Used
 * after a positive check that the condition holds (data counted by FIONREAD, a marker received), so a
 * negative check rests on that order, never on time.
 */
export async function loopTurns(): Promise<void> {
  // The first immediate runs after the current (or next) poll phase, the second after one that began
  // after the first: its poll saw every descriptor ready when we were called.
  for (let i = 0; i < 2; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Resolves once pred() holds, looking every millisecond; fails after ms. For a positive condition that
 * no call reports (an overlapped request's status changing on the loop): the test waits for the fact
 * itself, never for a guess at how long it takes.
 */
export async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise<void>((r) => setTimeout(r, 1));
  }
}
