// Property test: every core export called with random arguments never crashes, hangs or corrupts.
// A Winsock-shaped failure is the call's failure value with a WSA code set; misuse of JS types is a
// TypeError; nothing else may escape. FUZZ_RUNS raises the count (pnpm fuzz:long runs 100,000+).
//
// The program around the calls is hostile too (caller_memory.h): buffers are SharedArrayBuffer-
// backed, resizable or already detached; WSABUF and box getters detach other buffers mid-call; and
// between calls the fuzz detaches, transfers or shrinks buffers that pending overlapped requests
// still use, lets the loop run so those requests complete, and collects garbage. A second test runs
// the same calls in workers that exit or are terminated mid-call.
import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import * as core from '../src/index.js';
import { listener, loopback4, startup, tcpPair, udpPair } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const wsaCodes = new Set(core.WSA_ERROR_TABLE.map((r) => r[1]));

// Live sockets the fuzz may hit, each kept non-blocking with short timeouts so no call can wait long.
let live: number[] = [];
let cleanup: Array<() => void> = [];
function makeLive(): void {
  const p = tcpPair();
  const u = udpPair();
  const l = listener();
  const fresh = core.socket(core.AF_INET, core.SOCK_STREAM, 0);
  live = [p.client, p.server, u.a, u.b, l.s, fresh];
  cleanup = [p.close, u.close, () => core.closesocket(l.s), () => core.closesocket(fresh)];
  tame();
}
function tame(): void {
  for (const s of live) {
    core.ioctlsocket(s, core.FIONBIO, { value: 1 });
    core.setsockopt(s, core.SOL_SOCKET, core.SO_RCVTIMEO, { value: 5 }, 4);
    core.setsockopt(s, core.SOL_SOCKET, core.SO_SNDTIMEO, { value: 5 }, 4);
  }
}

beforeAll(() => { startup(); makeLive(); });
afterAll(() => { for (const c of cleanup) c(); });

const closedSocket = (() => { startup(); const s = core.socket(core.AF_INET, core.SOCK_STREAM, 0); core.closesocket(s); return s; })();

const detached = (): Uint8Array => {
  const b = new Uint8Array(16);
  structuredClone(b.buffer, { transfer: [b.buffer] });
  return b;
};

// Buffers the calls were given, which later mutations may detach or shrink under pending requests.
const recent: Uint8Array[] = [];
function remember(b: Uint8Array): Uint8Array {
  recent.push(b);
  if (recent.length > 64) recent.shift();
  return b;
}
function detach(b: Uint8Array | undefined): void {
  if (!b || b.buffer instanceof SharedArrayBuffer || b.byteLength === 0) return;
  try { structuredClone(b.buffer, { transfer: [b.buffer] }); } catch { /* already detached */ }
}
function shrink(b: Uint8Array | undefined): void {
  const ab = b?.buffer as (ArrayBuffer & { resizable?: boolean; resize(n: number): void }) | undefined;
  if (ab && ab.resizable && b!.byteLength > 0) ab.resize(0);
}
const shared = (n: number): Uint8Array => remember(new Uint8Array(new SharedArrayBuffer(Math.max(n, 1)), 0, n));
const resizable = (n: number): Uint8Array =>
  remember(new Uint8Array(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(n, { maxByteLength: 4096 })));
// A WSABUF whose len getter detaches the buffer of the WSABUF before it (or a random recent one).
function hostileWsabufs(n: number): core.WSABUF[] {
  const out: core.WSABUF[] = [];
  for (let i = 0; i < n; i++) {
    const buf = remember(new Uint8Array(32));
    const prev = out[i - 1];
    const w = { buf } as unknown as core.WSABUF;
    Object.defineProperty(w, 'len', { get() { detach(prev?.buf ?? recent[0]); return 32; }, enumerable: true });
    out.push(w);
  }
  return out;
}
// A box whose value getter detaches a recent buffer.
const hostileBox = () => ({ get value() { detach(recent[recent.length - 1]); return 16; }, set value(_v: number) {} });

const socketArb = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2, 65535, 2 ** 31, closedSocket, NaN, 1.5),
  fc.integer({ min: 0, max: 5 }).map((i) => live[i]!),
  fc.integer(),
);
const numberArb = fc.oneof(fc.integer(), fc.constantFrom(0, 1, -1, 4, 16, 28, 2 ** 32, 2 ** 31 - 1, -(2 ** 31), NaN,
  Infinity, 0.5, 0x8004667e, 0x4004667f, 0x40047307, 0xffff), fc.double());
const bufferArb = fc.oneof(
  fc.integer({ min: 0, max: 64 }).map((n) => new Uint8Array(n)),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(new Uint8Array(0)),
  fc.constant(0).map(detached),
  fc.constant(new DataView(new ArrayBuffer(8))),
  fc.constant(new Float64Array(2)),
  fc.integer({ min: 0, max: 64 }).map(shared),
  fc.integer({ min: 0, max: 64 }).map(resizable),
  fc.integer({ min: 1, max: 64 }).map((n) => remember(new Uint8Array(n))),
);
const sockaddrArb = fc.oneof(
  fc.constant(0).map(() => loopback4(1)),
  fc.constant(0).map(() => new core.SOCKADDR_IN6()),
  fc.constant(0).map(() => new core.SOCKADDR_STORAGE()),
  bufferArb,
);
const boxArb = fc.oneof(fc.constant(null), numberArb.map((value) => ({ value })), fc.constant({}),
  fc.constant(0).map(hostileBox));
const wsabufsArb = fc.oneof(
  fc.array(fc.record({ len: numberArb, buf: bufferArb }), { maxLength: 4 }).map((a) => a.map((x) => new core.WSABUF(x.len, x.buf as never))),
  fc.constant(null),
  fc.record({ len: numberArb, buf: bufferArb }).map((x) => new core.WSABUF(x.len, x.buf as never)),
  fc.integer({ min: 1, max: 3 }).map(hostileWsabufs),
);
const overlappedArb = fc.oneof(fc.constant(0).map(() => new core.WSAOVERLAPPED()), fc.constant(null), bufferArb);
const routineArb = fc.oneof(fc.constant(null), fc.constant(() => {}));
const eventArb = fc.oneof(fc.constantFrom(0, -1, 1, 256, 2 ** 31), fc.constant(0).map(() => core.WSACreateEvent()));
const eventsArb = fc.oneof(fc.array(eventArb, { maxLength: 3 }), fc.constant(null), fc.constant(new Float64Array(2)));
const shortMs = fc.integer({ min: 0, max: 3 });
const junkArb = fc.oneof(fc.string(), fc.boolean(), fc.constant(() => 0), fc.constant(Symbol('x')), fc.constant([1, 2]),
  fc.constant(10n), fc.object());
// Mostly well-typed arguments (to reach Winsock's checks), sometimes junk (to reach the TypeErrors).
const maybeJunk = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: junkArb });

type Call = { name: string; args: unknown[]; failure: unknown };
const S = maybeJunk(socketArb), N = maybeJunk(numberArb), B = maybeJunk(bufferArb), A = maybeJunk(sockaddrArb);
const X = maybeJunk(boxArb), W = maybeJunk(wsabufsArb);
const call = (name: string, failure: unknown, ...args: fc.Arbitrary<unknown>[]) =>
  fc.tuple(...args).map((a): Call => ({ name, args: a, failure }));

// What the program does between calls to memory the calls were given.
type Mutation = 'detach' | 'shrink' | 'gc' | 'turn' | 'none';
const mutationArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Mutation>('gc') },  // a full collection: rare, it is slow
  { weight: 20, arbitrary: fc.constantFrom<Mutation>('detach', 'shrink', 'turn') },
  { weight: 60, arbitrary: fc.constant<Mutation>('none') },
);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
async function mutate(m: Mutation, pick: number): Promise<void> {
  const b = recent.length ? recent[pick % recent.length] : undefined;
  if (m === 'detach') detach(b);
  else if (m === 'shrink') shrink(b);
  else if (m === 'gc') gc();
  else if (m === 'turn') await new Promise<void>((r) => setImmediate(r));  // pending requests progress
}

export const callArb = fc.oneof(
  call('socket', -1, N, N, N),
  call('bind', -1, S, A, N),
  call('listen', -1, S, N),
  call('accept', -1, S, A, X),
  call('connect', -1, S, A, N),
  call('shutdown', -1, S, N),
  call('send', -1, S, B, N, N),
  call('recv', -1, S, B, N, N),
  call('sendto', -1, S, B, N, N, A, N),
  call('recvfrom', -1, S, B, N, N, A, X),
  call('getsockname', -1, S, A, X),
  call('getpeername', -1, S, A, X),
  call('ioctlsocket', -1, S, N, X),
  call('setsockopt', -1, S, N, N, maybeJunk(fc.oneof(boxArb, bufferArb)), N),
  call('getsockopt', -1, S, N, N, maybeJunk(fc.oneof(boxArb, bufferArb)), X),
  call('WSASend', -1, S, W, N, X, N),
  call('WSARecv', -1, S, W, N, X, X),
  call('WSASendTo', -1, S, W, N, X, N, A, N),
  call('WSARecvFrom', -1, S, W, N, X, X, A, X),
  call('inet_pton', -1, N, maybeJunk(fc.string()), maybeJunk(bufferArb)),
  call('inet_ntop', null, N, maybeJunk(bufferArb)),
  call('inet_addr', core.INADDR_NONE, maybeJunk(fc.string())),
  call('htons', undefined, N),
  call('htonl', undefined, N),
  call('sizeof', undefined, maybeJunk(fc.oneof(boxArb, bufferArb))),
  call('wsaErrorName', undefined, N),
  call('wsaErrorMessage', undefined, N),
  call('WSASetLastError', undefined, N),
  // overlapped forms: an lpOverlapped (and sometimes a routine) sends the call through the engine
  call('WSASend', -1, S, W, N, X, N, maybeJunk(overlappedArb), maybeJunk(routineArb)),
  call('WSARecv', -1, S, W, N, X, X, maybeJunk(overlappedArb), maybeJunk(routineArb)),
  call('WSAGetOverlappedResult', 0, S, maybeJunk(overlappedArb), X, fc.constant(false), X),
  call('AcceptEx', 0, S, S, B, N, N, N, X, maybeJunk(overlappedArb)),
  call('ConnectEx', 0, S, A, N, B, N, X, maybeJunk(overlappedArb)),
  call('WSACreateEvent', 0),
  call('WSACloseEvent', false, maybeJunk(eventArb)),
  call('WSASetEvent', false, maybeJunk(eventArb)),
  call('WSAResetEvent', false, maybeJunk(eventArb)),
  // waits and sleeps are bounded to a few milliseconds: nothing may hold the test open
  call('WSAWaitForMultipleEvents', undefined, N, maybeJunk(eventsArb), fc.boolean(), shortMs, fc.boolean()),
  call('SleepEx', undefined, shortMs, fc.boolean()),
  call('QueueUserAPC', 0, maybeJunk(routineArb), fc.constantFrom(-2, 0, 12345), N),
  call('ZeroMemory', undefined, maybeJunk(fc.oneof(overlappedArb, sockaddrArb)), fc.integer({ min: 0, max: 64 })),
);

const promises: Promise<unknown>[] = [];

test(`${RUNS} random calls to every export: failures are WSA codes or TypeErrors, and the process survives`, async () => {
  let calls = 0, wsaFailures = 0, typeErrors = 0;
  await fc.assert(
    fc.asyncProperty(callArb, mutationArb, fc.nat(), async ({ name, args, failure }, mutation, pick) => {
      calls++;
      await mutate(mutation, pick);
      core.WSASetLastError(0);
      let result: unknown;
      try {
        result = (core as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
      } catch (err) {
        if (err instanceof TypeError) { typeErrors++; return; }
        throw err; // anything else escaping is a bug
      }
      if (result instanceof Promise) {
        promises.push(result);
        return;
      }
      if (typeof result === 'number' && name.startsWith('WSA') && core.WSAGetLastError() === core.WSA_IO_PENDING) {
        await mutate(mutation === 'none' ? 'detach' : mutation, pick + 1);  // under a pending request
      }
      const boolFailure = failure === false || (failure === 0 && ['WSAGetOverlappedResult', 'AcceptEx', 'ConnectEx',
        'WSACreateEvent', 'QueueUserAPC'].includes(name));
      if ((failure !== undefined && result === failure && (failure === -1 || failure === null)) || (boolFailure && result === failure)) {
        const code = core.WSAGetLastError();
        if (name === 'inet_pton' && code === 0) return; // 0/-1 contract: -1 always sets a code
        expect(wsaCodes.has(code), `${name} failed with last error ${code}`).toBe(true);
        wsaFailures++;
      }
      // The fuzz may have closed or re-moded a live socket: keep the pool usable and non-blocking.
      if (name === 'ioctlsocket' || name === 'setsockopt' || name === 'shutdown') tame();
    }),
    { numRuns: RUNS },
  );
  // Every wait the fuzz started settles by itself (timeouts of at most 3 ms), with a Winsock result.
  const settled = await Promise.all(promises);
  for (const r of settled) expect(typeof r).toBe('number');
  console.log(`fuzz: ${calls} calls (${promises.length} waits settled), ${wsaFailures} Winsock failures, ${typeErrors} TypeErrors, 0 crashes`);
  expect(calls).toBe(RUNS);
  expect(wsaFailures).toBeGreaterThan(RUNS / 10);
  expect(typeErrors).toBeGreaterThan(0);
}, 30 * 60_000);

test('after the fuzz a fresh connection still works end to end', () => {
  const p = tcpPair();
  expect(core.send(p.client, Buffer.from('alive'), 5, 0)).toBe(5);
  const buf = Buffer.alloc(5);
  expect(core.recv(p.server, buf, 5, 0)).toBe(5);
  expect(buf.toString()).toBe('alive');
  p.close();
});

const WORKERS = Number(process.env.FUZZ_WORKERS ?? 12);

test(`${WORKERS} workers with every kind of pending request and wait exit or are terminated mid-call; the process survives`, async () => {
  let exited = 0;
  for (let i = 0; i < WORKERS; i++) {
    const selfExit = i % 3 === 0;
    const w = new Worker(new URL('./fixtures/fuzz-worker.mjs', import.meta.url), {
      workerData: { seed: i * 7919 + 1, exitAfter: selfExit ? 5 + (i % 20) : -1 },
    });
    const gone = new Promise<number>((resolve) => w.once('exit', resolve));
    await new Promise((resolve) => w.once('message', resolve));
    if (!selfExit) {
      await new Promise((resolve) => setTimeout(resolve, i % 15));
      await w.terminate();
    }
    await gone;
    exited++;
  }
  expect(exited).toBe(WORKERS);
  gc();
}, 120_000);
