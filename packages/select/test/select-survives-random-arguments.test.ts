// Bad input never crashes, hangs or corrupts memory: random counts, socket numbers and timeouts give
// a number (the count or SOCKET_ERROR), and never touch memory past a set's storage.
import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  WSAStartup, MAKEWORD, WSADATA, SOCKET_ERROR, WSAEINVAL, WSAENOTSOCK, WSAEFAULT, WSAGetLastError, fd_set, select,
  timeval,
} from '../src/index.js';
import { closeAll, tcpPair } from './helpers.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });
afterAll(closeAll);

test('random fd_set contents and {0,0}-or-negative timeouts always give a count or a Winsock error', async () => {
  const { client, server, lsock } = tcpPair();
  const real = [client, server, lsock];
  const entry = fc.oneof(fc.constantFrom(...real), fc.integer({ min: -5, max: 5000 }), fc.integer());
  const setArb = fc.option(fc.record({
    capacity: fc.integer({ min: 1, max: 8 }),
    count: fc.integer({ min: -3, max: 12 }),
    fds: fc.array(entry, { maxLength: 8 }),
  }), { nil: null });
  await fc.assert(fc.asyncProperty(setArb, setArb, setArb, fc.integer({ min: -2, max: 0 }), async (r, w, e, t) => {
    const make = (spec: typeof r) => {
      if (!spec) return null;
      const s = new fd_set(spec.capacity);
      spec.fds.slice(0, spec.capacity).forEach((fd, i) => { s.fd_array[i] = fd; });
      s.fd_count = spec.count;
      return s;
    };
    const sets = [make(r), make(w), make(e)];
    const guard = sets.map((s) => (s ? s.fd_array.length : 0));
    const n = await select(0, sets[0], sets[1], sets[2], new timeval(0, t < 0 ? t : 0));
    expect(typeof n).toBe('number');
    if (n === SOCKET_ERROR) expect([WSAEINVAL, WSAENOTSOCK, WSAEFAULT]).toContain(WSAGetLastError());
    else expect(n).toBeGreaterThanOrEqual(0);
    sets.forEach((s, i) => { if (s) expect(s.fd_array.length).toBe(guard[i]); });
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
});
