import { beforeAll, expect, test } from 'vitest';
import { WSAStartup, WSADATA, MAKEWORD, WSACreateEvent, WSACloseEvent } from '../src/index.js';
import { native } from '../src/internal.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

const odd: unknown[] = [undefined, null, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 31, 0xffffffff, '', '7',
  {}, [], [1, 2], new Uint8Array(3), new Float64Array([NaN, 1e300]), new BigInt64Array(2), new DataView(new ArrayBuffer(4)),
  () => 0, true, Symbol('x'), 10n];

// Every combination either returns Winsock's answer or throws a TypeError; nothing crashes or hangs.
function call(fn: (...a: unknown[]) => unknown, args: unknown[]): void {
  try {
    const r = fn(...args);
    expect(['number', 'boolean', 'object']).toContain(typeof r);
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
  }
}

test('the event calls and WSAEventSelect/WSAEnumNetworkEvents take any argument without crashing', async () => {
  const ev = WSACreateEvent();
  const pending: Promise<unknown>[] = [];
  const wait = (...a: unknown[]) => {
    // Finite waits only (dwTimeout 0 here), so nothing is left parked.
    const r = (native.WSAWaitForMultipleEvents as (...x: unknown[]) => unknown)(a[0], a[1], a[2], 0, a[4]);
    if (r instanceof Promise) pending.push(r);
    return r;
  };
  for (const a of odd) {
    call(native.WSASetEvent as never, [a]);
    call(native.WSAResetEvent as never, [a]);
    call(native.WSACloseEvent as never, [a === ev ? 0 : a]);
    for (const b of odd) {
      call(wait, [a, b, false, 0, false]);
      call(wait, [1, [ev, b], a, 0, b]);
      call(native.WSAEventSelect as never, [a, b, 0x3f]);
      call(native.WSAEventSelect as never, [a, ev, b]);
      call(native.WSAEnumNetworkEvents as never, [a, b, new Uint8Array(44)]);
      call(native.WSAEnumNetworkEvents as never, [a, ev, b]);
    }
  }
  const results = await Promise.all(pending);
  for (const r of results) expect(typeof r).toBe('number');
  WSACloseEvent(ev);
});
