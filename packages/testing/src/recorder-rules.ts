// The network-event recorder's rules (winsock-spec §3.0, §3.7), written once and run against each sink
// that delivers them: event objects (WSAEventSelect + WSAEnumNetworkEvents) and window messages
// (WSAAsyncSelect + GetMessage). Each model package runs this suite with its own sink; what differs
// between the sinks (message order, re-registration, event reset, UDP) stays in that package's tests.
//
// Negative checks never rest on time: either a later event on the same socket must come first (the
// peer's FIN after its data, a datagram after another) and nothing else may come before it, or the
// condition is shown to hold (FIONREAD counts the bytes, a marker arrived) and a whole poll phase of
// the loop has run since (loopTurns), after which nothing may have been delivered.
import type * as Vitest from 'vitest';
import {
  FD_ACCEPT, FD_ACCEPT_BIT, FD_ALL_EVENTS, FD_CLOSE, FD_CLOSE_BIT, FD_CONNECT, FD_CONNECT_BIT, FD_OOB, FD_OOB_BIT,
  FD_READ, FD_READ_BIT, FD_WRITE, FD_WRITE_BIT, FIONBIO, FIONREAD, LINGER, MSG_OOB, MSG_PEEK, SD_BOTH, SD_RECEIVE,
  SD_SEND, SOCKET_ERROR, SOL_SOCKET, SO_LINGER, SO_RCVBUF, SO_SNDBUF, WSABUF, WSAECONNABORTED, WSAECONNREFUSED,
  WSAECONNRESET, WSAEFAULT, WSAEINVAL, WSAEWOULDBLOCK, WSAGetLastError, WSARecv, AF_INET, SOCK_STREAM, accept,
  closesocket, connect, ioctlsocket, recv, recvfrom, send, sendto, setsockopt, shutdown, sizeof, socket,
  type SOCKET,
} from '@winsock-models/core';
import { check, closeAll, dial, listener, pair, refusedAddress, startup, udpPair } from './index.js';
import { loopTurns, until } from './fixtures.js';

/** One delivery: event mode, one signal enumerated (several bits may come together); message mode, one message. */
export interface Notice {
  socket: SOCKET;
  bits: number;
  /** err[bit] for each bit delivered (other entries 0). */
  err: number[];
}

/** Where a registration delivers: one event object, or one window and message number. */
export interface RecorderSink {
  /** Registers s for mask here (WSAEventSelect / WSAAsyncSelect), replacing any registration. */
  select(s: SOCKET, mask: number): number;
  /** Cancels s's registration (mask 0). */
  cancel(s: SOCKET): number;
  /** The next delivery for s, waiting (bounded) for it; fails if it is for another socket. */
  next(s: SOCKET): Promise<Notice>;
  /** Everything delivered for s already, taken without waiting: bits OR-ed, and how many deliveries. */
  now(s: SOCKET): { bits: number; count: number; err: number[] };
  /** Frees the event object or window. */
  close(): void;
}

export interface RecorderSuiteOptions {
  /** 'WSAEventSelect' or 'WSAAsyncSelect': names the tests. */
  name: string;
  /** A fresh sink (a new event object, a new window). */
  makeSink(): RecorderSink;
  /** Message mode re-enables FD_READ after a receive refused for a bad buffer (WSAEFAULT); event mode does not. */
  reenablesFdReadOnFault: boolean;
}

const NAMES: Array<[number, string]> = [
  [FD_READ, 'FD_READ'], [FD_WRITE, 'FD_WRITE'], [FD_OOB, 'FD_OOB'], [FD_ACCEPT, 'FD_ACCEPT'],
  [FD_CONNECT, 'FD_CONNECT'], [FD_CLOSE, 'FD_CLOSE'],
];
/** FD_READ|FD_CLOSE as text, for assertion messages. */
export function fdNames(bits: number): string {
  const names = NAMES.filter(([b]) => bits & b).map(([, n]) => n);
  const rest = bits & ~NAMES.reduce((m, [b]) => m | b, 0);
  return names.concat(rest ? [`0x${rest.toString(16)}`] : []).join('|') || '0';
}

/**
 * Takes deliveries for s until every bit of `bits` has come; fails on a bit outside `bits` or a bit
 * delivered twice. Returns the deliveries in order and each bit's error.
 */
export async function expectExactly(sink: RecorderSink, s: SOCKET, bits: number): Promise<{ notices: Notice[]; err: number[] }> {
  const notices: Notice[] = [];
  const err = new Array<number>(10).fill(0);
  let seen = 0;
  while ((seen & bits) !== bits) {
    const n = await sink.next(s);
    notices.push(n);
    if ((n.bits & ~bits) !== 0 || (n.bits & seen) !== 0) {
      throw new Error(`expected ${fdNames(bits)} for socket ${s}, got ${notices.map((x) => fdNames(x.bits)).join(', ')}`);
    }
    seen |= n.bits;
    for (let b = 0; b < 10; b++) if (n.bits & (1 << b)) err[b] = n.err[b]!;
  }
  return { notices, err };
}

/** Until FIONREAD on s counts n bytes (they came: a positive fact, waited for, bounded). */
async function queuedBytes(s: SOCKET, n: number): Promise<void> {
  await until(() => bytesQueued(s) >= n, `${n} bytes queued on socket ${s}`);
  if (bytesQueued(s) !== n) throw new Error(`socket ${s} holds ${bytesQueued(s)} bytes, not ${n}`);
}

function bytesQueued(s: SOCKET): number {
  const n = { value: 0 };
  check(ioctlsocket(s, FIONREAD, n), 'ioctlsocket(FIONREAD)');
  return n.value;
}

function resetOnClose(s: SOCKET): void {
  const linger = new LINGER();
  linger.l_onoff = 1;
  linger.l_linger = 0;
  check(setsockopt(s, SOL_SOCKET, SO_LINGER, linger, sizeof(linger)), 'setsockopt(SO_LINGER)');
}

/** Sends on non-blocking s until WSAEWOULDBLOCK; the bytes taken. */
function fill(s: SOCKET): number {
  const chunk = Buffer.alloc(65536, 1);
  let sent = 0;
  for (let i = 0; i < 10_000; i++) {  // bounded: the buffers hold far less than 10,000 chunks
    const r = send(s, chunk, chunk.length, 0);
    if (r === SOCKET_ERROR) {
      if (WSAGetLastError() !== WSAEWOULDBLOCK) throw new Error(`send failed: ${WSAGetLastError()}`);
      return sent;
    }
    sent += r;
  }
  throw new Error('the send buffer never filled');
}

/** Receives exactly n bytes on blocking s. */
function drainBytes(s: SOCKET, n: number): void {
  const sink = Buffer.alloc(65536);
  let got = 0;
  for (let i = 0; i < 100_000 && got < n; i++) got += check(recv(s, sink, Math.min(sink.length, n - got), 0), 'recv');
  if (got !== n) throw new Error(`drained ${got} of ${n} bytes`);
}

/** The recorder's rules as one suite; vt is the calling test file's vitest. */
export function recorderRules(vt: typeof Vitest, { name, makeSink, reenablesFdReadOnFault }: RecorderSuiteOptions): void {
  const { beforeAll, afterEach, describe, expect, test } = vt;
  const sinks: RecorderSink[] = [];
  const sinkFor = () => { const k = makeSink(); sinks.push(k); return k; };
  const nothing = { bits: 0, count: 0 };

  describe(`the recorder's rules through ${name}`, () => {
    beforeAll(startup);
    afterEach(() => { for (const k of sinks.splice(0)) k.close(); });

    // ---- FD_ACCEPT ------------------------------------------------------------------------------------
    test('a connection queued before registration is recorded by the registration itself, error 0', () => {
      const { ls, addr } = listener();
      const c = dial(addr);
      const k = sinkFor();
      check(k.select(ls, FD_ACCEPT | FD_CLOSE), 'select');
      const at = k.now(ls);
      expect(at).toMatchObject({ bits: FD_ACCEPT, count: 1 });
      expect(at.err[FD_ACCEPT_BIT]).toBe(0);
      closeAll(c, ls);
    });

    test('FD_ACCEPT is not recorded again until accept; accept records it at once while connections wait', async () => {
      const { ls, addr } = listener();
      const k = sinkFor();
      check(k.select(ls, FD_ACCEPT), 'select');
      expect(k.now(ls)).toMatchObject(nothing);  // nobody has connected yet
      const c1 = dial(addr), c2 = dial(addr);  // both wait in the backlog once connect returns
      const { err } = await expectExactly(k, ls, FD_ACCEPT);
      expect(err[FD_ACCEPT_BIT]).toBe(0);
      await loopTurns();
      expect(k.now(ls)).toMatchObject(nothing);  // connections wait, but FD_ACCEPT stays reported
      const a1 = check(accept(ls, null, null), 'accept');
      expect(k.now(ls)).toMatchObject({ bits: FD_ACCEPT, count: 1 });  // c2 waits: before accept returned
      const a2 = check(accept(ls, null, null), 'accept');
      expect(k.now(ls)).toMatchObject(nothing);  // the backlog is empty
      closeAll(a1, a2, c1, c2, ls);
    });

    test('an accepted socket inherits the registration: non-blocking, its own deliveries; its own registration sees FD_WRITE', async () => {
      const { ls, addr } = listener();
      const k = sinkFor();
      check(k.select(ls, FD_ACCEPT | FD_READ | FD_CLOSE), 'select');
      const c = dial(addr);
      await expectExactly(k, ls, FD_ACCEPT);
      const s = check(accept(ls, null, null), 'accept');
      expect(ioctlsocket(s, FIONBIO, { value: 0 })).toBe(SOCKET_ERROR);  // registered: stays non-blocking
      expect(WSAGetLastError()).toBe(WSAEINVAL);
      expect(recv(s, Buffer.alloc(4), 4, 0)).toBe(SOCKET_ERROR);
      expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
      send(c, Buffer.from('hi'), 2, 0);
      await expectExactly(k, s, FD_READ);  // the inherited mask has FD_READ, not FD_WRITE
      expect(k.now(s)).toMatchObject(nothing);
      expect(recv(s, Buffer.alloc(8), 8, 0)).toBe(2);  // read: message mode would post FD_READ again below
      const own = sinkFor();
      check(own.select(s, FD_READ | FD_WRITE | FD_CLOSE), 'select');
      const at = own.now(s);  // at once: recorded when accepted (event mode), posted by the registration (message mode)
      expect(at).toMatchObject({ bits: FD_WRITE, count: 1 });
      expect(at.err[FD_WRITE_BIT]).toBe(0);
      closeAll(c, s, ls);
    });

    // ---- FD_READ --------------------------------------------------------------------------------------
    test('FD_READ is recorded once; more data records nothing until a receive, which records it at once while data remains', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_CLOSE), 'select');
      expect(k.now(server)).toMatchObject(nothing);  // nothing to read yet
      send(client, Buffer.from('first'), 5, 0);
      expect((await expectExactly(k, server, FD_READ)).err[FD_READ_BIT]).toBe(0);
      send(client, Buffer.from('second'), 6, 0);
      await queuedBytes(server, 11);
      await loopTurns();
      expect(k.now(server)).toMatchObject(nothing);  // FD_READ stays reported until a receive
      expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(4);
      expect(k.now(server)).toMatchObject({ bits: FD_READ, count: 1 });  // 7 bytes remain
      const got = { value: 0 };
      check(WSARecv(server, [new WSABUF(2, Buffer.alloc(2))], 1, got, { value: 0 }), 'WSARecv');
      expect(got.value).toBe(2);
      expect(k.now(server)).toMatchObject({ bits: FD_READ, count: 1 });  // WSARecv re-enables like recv
      expect(recv(server, Buffer.alloc(2), 2, MSG_PEEK)).toBe(2);
      expect(k.now(server)).toMatchObject({ bits: FD_READ, count: 1 });  // so does a peek, which leaves the data
      expect(recv(server, Buffer.alloc(64), 64, 0)).toBe(5);
      expect(k.now(server)).toMatchObject(nothing);  // drained: nothing is recorded
      send(client, Buffer.from('!'), 1, 0);
      await expectExactly(k, server, FD_READ);  // re-enabled: new data records it
      expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(1);
      shutdown(client, SD_SEND);  // the marker: FD_CLOSE comes, and nothing before it
      expect((await expectExactly(k, server, FD_CLOSE)).err[FD_CLOSE_BIT]).toBe(0);
      expect(k.now(server)).toMatchObject(nothing);
      closeAll(client, server, ls);
    });

    test('recvfrom with another datagram waiting records FD_READ before it returns; the last one does not', async () => {
      const { a: u, b: peer, addrA } = udpPair();
      const k = sinkFor();
      check(k.select(u, FD_READ), 'select');
      check(sendto(peer, Buffer.from('one'), 3, 0, addrA, sizeof(addrA)), 'sendto');
      check(sendto(peer, Buffer.from('two'), 3, 0, addrA, sizeof(addrA)), 'sendto');
      await expectExactly(k, u, FD_READ);
      const b = Buffer.alloc(16);
      expect(recvfrom(u, b, 16, 0, null, null)).toBe(3);
      expect(k.now(u)).toMatchObject({ bits: FD_READ, count: 1 });
      expect(recvfrom(u, b, 16, 0, null, null)).toBe(3);
      expect(k.now(u)).toMatchObject(nothing);
      check(sendto(peer, Buffer.from('three'), 5, 0, addrA, sizeof(addrA)), 'sendto');
      await expectExactly(k, u, FD_READ);
      expect(recvfrom(u, b, 16, 0, null, null)).toBe(5);
      closeAll(u, peer);
    });

    test(`a receive refused with WSAEFAULT ${reenablesFdReadOnFault ? 're-enables FD_READ all the same' : 'does not re-enable FD_READ'}`, async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ), 'select');
      send(client, Buffer.from('unread'), 6, 0);
      await expectExactly(k, server, FD_READ);
      const again = reenablesFdReadOnFault ? { bits: FD_READ, count: 1 } : nothing;
      expect(recv(server, Buffer.alloc(4), -1, 0)).toBe(SOCKET_ERROR);
      expect(WSAGetLastError()).toBe(WSAEFAULT);
      await loopTurns();
      expect(k.now(server)).toMatchObject(again);
      // A WSABUF longer than its buffer is refused the same way.
      expect(WSARecv(server, [{ len: 64, buf: Buffer.alloc(4) }], 1, { value: 0 }, { value: 0 })).toBe(SOCKET_ERROR);
      expect(WSAGetLastError()).toBe(WSAEFAULT);
      await loopTurns();
      expect(k.now(server)).toMatchObject(again);
      expect(bytesQueued(server)).toBe(6);  // nothing was consumed by the refused calls
      expect(recv(server, Buffer.alloc(2), 2, 0)).toBe(2);  // a receive that works re-enables it: 4 bytes remain
      expect(k.now(server)).toMatchObject({ bits: FD_READ, count: 1 });
      closeAll(client, server, ls);
    });

    // ---- FD_WRITE -------------------------------------------------------------------------------------
    test('a connected socket records FD_WRITE at registration, once: successful sends do not record it again', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_WRITE | FD_CLOSE), 'select');
      expect((await expectExactly(k, server, FD_WRITE)).err[FD_WRITE_BIT]).toBe(0);
      expect(send(server, Buffer.from('x'), 1, 0)).toBe(1);
      expect(k.now(server)).toMatchObject(nothing);
      send(client, Buffer.from('marker'), 6, 0);  // FD_READ comes, and no FD_WRITE before or with it
      await expectExactly(k, server, FD_READ);
      expect(k.now(server)).toMatchObject(nothing);
      closeAll(client, server, ls);
    });

    test('after a send fails with WSAEWOULDBLOCK, FD_WRITE is recorded again once space appears', async () => {
      const { ls, client, server } = pair();
      setsockopt(server, SOL_SOCKET, SO_SNDBUF, { value: 4096 }, 4);
      setsockopt(client, SOL_SOCKET, SO_RCVBUF, { value: 4096 }, 4);
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_WRITE), 'select');
      await expectExactly(k, server, FD_WRITE);
      const sent = fill(server);
      send(client, Buffer.from('marker'), 6, 0);  // no space yet: FD_READ comes, and no FD_WRITE
      await expectExactly(k, server, FD_READ);
      expect(k.now(server)).toMatchObject(nothing);
      drainBytes(client, sent);  // space appears
      expect((await expectExactly(k, server, FD_WRITE)).err[FD_WRITE_BIT]).toBe(0);
      closeAll(client, server, ls);
    });

    test('a send that takes only part of the buffer also re-enables FD_WRITE', async () => {
      const { ls, client, server } = pair();
      setsockopt(server, SOL_SOCKET, SO_SNDBUF, { value: 4096 }, 4);
      setsockopt(client, SOL_SOCKET, SO_RCVBUF, { value: 4096 }, 4);
      const k = sinkFor();
      check(k.select(server, FD_WRITE), 'select');
      await expectExactly(k, server, FD_WRITE);
      const big = Buffer.alloc(1 << 20, 2);  // far more than the socket buffers hold
      const taken = send(server, big, big.length, 0);
      expect(taken).toBeGreaterThan(0);
      expect(taken).toBeLessThan(big.length);
      drainBytes(client, taken);
      await expectExactly(k, server, FD_WRITE);
      closeAll(client, server, ls);
    });

    // ---- FD_OOB ---------------------------------------------------------------------------------------
    test('urgent data records FD_OOB (error 0); recv(MSG_OOB) re-enables it, and the next urgent byte records it again', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_OOB), 'select');
      expect(send(client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
      expect((await expectExactly(k, server, FD_OOB)).err[FD_OOB_BIT]).toBe(0);
      const b = Buffer.alloc(1);
      expect(recv(server, b, 1, MSG_OOB)).toBe(1);
      expect(b.toString()).toBe('!');
      await loopTurns();
      expect(k.now(server)).toMatchObject(nothing);  // no urgent byte left
      expect(send(client, Buffer.from('?'), 1, MSG_OOB)).toBe(1);
      await expectExactly(k, server, FD_OOB);
      expect(k.now(server)).toMatchObject(nothing);
      closeAll(client, server, ls);
    });

    test('a plain recv re-enables FD_OOB too: the unread urgent byte is recorded again', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_OOB | FD_READ), 'select');
      expect(send(client, Buffer.from('data'), 4, 0)).toBe(4);
      expect(send(client, Buffer.from('!'), 1, MSG_OOB)).toBe(1);
      await expectExactly(k, server, FD_OOB | FD_READ);
      expect(recv(server, Buffer.alloc(16), 16, 0)).toBe(4);  // normal data only; the urgent byte stays
      await expectExactly(k, server, FD_OOB);
      const b = Buffer.alloc(1);
      expect(recv(server, b, 1, MSG_OOB)).toBe(1);
      expect(b.toString()).toBe('!');
      closeAll(client, server, ls);
    });

    test('a peer reset records FD_CLOSE with WSAECONNABORTED and nothing else (no FD_OOB)', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_ALL_EVENTS), 'select');
      await expectExactly(k, server, FD_WRITE);
      resetOnClose(client);
      closesocket(client);  // abortive close: RST
      expect((await expectExactly(k, server, FD_CLOSE)).err[FD_CLOSE_BIT]).toBe(WSAECONNABORTED);
      await loopTurns();
      expect(k.now(server)).toMatchObject(nothing);  // the reset is still there: nothing more comes of it
      expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(SOCKET_ERROR);
      expect(WSAGetLastError()).toBe(WSAECONNRESET);
      closeAll(server, ls);
    });

    test('shutdown(SD_BOTH) facing the peer\'s shutdown(SD_RECEIVE) records no FD_OOB on either side', async () => {
      const { ls, client, server } = pair();
      const kc = sinkFor(), ks = sinkFor();
      check(kc.select(client, FD_ALL_EVENTS), 'select');
      check(ks.select(server, FD_ALL_EVENTS), 'select');
      // The client connected before it registered: event mode reports FD_CONNECT with FD_WRITE, message mode not.
      expect((await kc.next(client)).bits & FD_WRITE).toBe(FD_WRITE);
      expect(kc.now(client)).toMatchObject(nothing);
      await expectExactly(ks, server, FD_WRITE);
      check(shutdown(client, SD_RECEIVE), 'shutdown');
      check(shutdown(server, SD_BOTH), 'shutdown');  // done when it returns: the loop sees the hang-up next
      await loopTurns();
      expect(kc.now(client).bits & FD_OOB).toBe(0);  // the client may see the server's FIN as FD_CLOSE
      expect(ks.now(server)).toMatchObject(nothing);  // a local shutdown records nothing
      closeAll(client, server, ls);
    });

    // ---- FD_CLOSE -------------------------------------------------------------------------------------
    test('the peer\'s graceful close records FD_CLOSE with 0, once, never as FD_READ; recv then returns 0', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_CLOSE), 'select');
      shutdown(client, SD_SEND);
      expect((await expectExactly(k, server, FD_CLOSE)).err[FD_CLOSE_BIT]).toBe(0);
      expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(0);
      await loopTurns();
      expect(k.now(server)).toMatchObject(nothing);  // reported once
      closeAll(client, server, ls);
    });

    test('data followed by the peer\'s close records FD_READ, then FD_CLOSE, while the data is unread', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_CLOSE), 'select');
      send(client, Buffer.from('bye'), 3, 0);
      closesocket(client);
      const { notices, err } = await expectExactly(k, server, FD_READ | FD_CLOSE);
      expect(notices[0]!.bits & FD_READ).toBe(FD_READ);  // FD_CLOSE never before FD_READ
      expect(err[FD_CLOSE_BIT]).toBe(0);
      expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(3);
      closeAll(server, ls);
    });

    test('a local shutdown records no FD_CLOSE', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_CLOSE), 'select');
      check(shutdown(server, SD_BOTH), 'shutdown');
      await loopTurns();
      expect(k.now(server)).toMatchObject(nothing);
      closeAll(client, server, ls);
    });

    // ---- FD_CONNECT -----------------------------------------------------------------------------------
    test('a non-blocking connect that succeeds records FD_CONNECT (error 0) with FD_WRITE, FD_CONNECT first, once', async () => {
      const { ls, addr } = listener();
      const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
      const k = sinkFor();
      check(k.select(s, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 'select');
      expect(k.now(s)).toMatchObject(nothing);  // an unconnected socket has nothing to report
      expect(connect(s, addr, sizeof(addr))).toBe(SOCKET_ERROR);  // non-blocking now
      expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
      const { notices, err } = await expectExactly(k, s, FD_CONNECT | FD_WRITE);
      expect(notices[0]!.bits & FD_CONNECT).toBe(FD_CONNECT);
      expect(err[FD_CONNECT_BIT]).toBe(0);
      await loopTurns();
      expect(k.now(s)).toMatchObject(nothing);  // once per connect
      closeAll(s, ls);
    });

    test('a refused connect records FD_CONNECT carrying WSAECONNREFUSED, and no FD_WRITE', async () => {
      const addr = refusedAddress();
      const s = check(socket(AF_INET, SOCK_STREAM, 0), 'socket');
      const k = sinkFor();
      check(k.select(s, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 'select');
      const r = connect(s, addr, sizeof(addr));
      if (r === SOCKET_ERROR && WSAGetLastError() !== WSAEWOULDBLOCK) expect(WSAGetLastError()).toBe(WSAECONNREFUSED);
      expect((await expectExactly(k, s, FD_CONNECT)).err[FD_CONNECT_BIT]).toBe(WSAECONNREFUSED);
      await loopTurns();
      expect(k.now(s)).toMatchObject(nothing);
      closeAll(s);
    });

    // ---- registrations --------------------------------------------------------------------------------
    test('a new registration replaces the old: only the new one delivers', async () => {
      const { ls, client, server } = pair();
      const old = sinkFor(), k = sinkFor();
      check(old.select(server, FD_READ), 'select');
      check(k.select(server, FD_READ), 'select');
      send(client, Buffer.from('x'), 1, 0);
      await expectExactly(k, server, FD_READ);
      expect(old.now(server)).toMatchObject(nothing);
      closeAll(client, server, ls);
    });

    test('mask 0 cancels: nothing is delivered, the socket stays non-blocking, and FIONBIO(0) is allowed again', async () => {
      const { ls, client, server } = pair();
      const k = sinkFor();
      check(k.select(server, FD_READ | FD_WRITE | FD_CLOSE), 'select');
      await expectExactly(k, server, FD_WRITE);
      expect(ioctlsocket(server, FIONBIO, { value: 0 })).toBe(SOCKET_ERROR);
      expect(WSAGetLastError()).toBe(WSAEINVAL);
      check(k.cancel(server), 'cancel');
      send(client, Buffer.from('x'), 1, 0);
      await queuedBytes(server, 1);
      shutdown(client, SD_SEND);
      await loopTurns();
      expect(k.now(server)).toMatchObject(nothing);
      expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(1);
      expect(recv(server, Buffer.alloc(4), 4, 0)).toBe(0);
      const again = pair();
      check(k.select(again.server, FD_READ), 'select');
      check(k.cancel(again.server), 'cancel');
      expect(recv(again.server, Buffer.alloc(4), 4, 0)).toBe(SOCKET_ERROR);  // still non-blocking
      expect(WSAGetLastError()).toBe(WSAEWOULDBLOCK);
      expect(ioctlsocket(again.server, FIONBIO, { value: 0 })).toBe(0);
      closeAll(client, server, ls);
      again.close();
    });
  });
}
