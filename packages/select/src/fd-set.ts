// fd_set and its macros, as winsock2.h defines them: a counted array of sockets in insertion order,
// not a bitmap. The memory is one Int32Array in C's layout — [fd_count, fd_array[0..capacity-1]] —
// which select() hands to native code as is.
import { FD_SETSIZE } from '@winsock-models/core';
import type { SOCKET } from '@winsock-models/core';
import { SIZEOF } from '@winsock-models/core/internal';

/** The memory behind an fd_set (Symbol.for: shared by the ESM and CJS builds). */
export const FD_MEMORY: unique symbol = Symbol.for('@winsock-models/select.fd_set') as never;

/**
 * `fd_set`: `fd_count` sockets in `fd_array`. Capacity is `FD_SETSIZE` (64) unless asked for, as C
 * code redefines `FD_SETSIZE` before including winsock2.h: `new fd_set(1024)`.
 */
export class fd_set {
  readonly [FD_MEMORY]: Int32Array;
  /** The sockets; only the first `fd_count` entries mean anything. */
  readonly fd_array: Int32Array;
  constructor(capacity: number = FD_SETSIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`fd_set capacity must be a positive integer, not ${capacity}`);
    this[FD_MEMORY] = new Int32Array(1 + capacity);
    this.fd_array = this[FD_MEMORY].subarray(1);
  }
  get fd_count(): number { return this[FD_MEMORY][0]! >>> 0; }
  set fd_count(n: number) { this[FD_MEMORY][0] = n; }
  /** How many sockets the set can hold (C's FD_SETSIZE for this set). */
  get capacity(): number { return this.fd_array.length; }
  /** C's sizeof(fd_set) on x64: u_int fd_count, padding, then FD_SETSIZE 8-byte SOCKETs. */
  static readonly [SIZEOF] = 8 + 8 * FD_SETSIZE;
}

/** The memory of an fd_set, or null for C's NULL; a TypeError for anything else. */
export function memoryOfSet(set: fd_set | null | undefined, name: string): Int32Array | null {
  if (set === null || set === undefined) return null;
  const mem = (set as fd_set)[FD_MEMORY];
  if (!(mem instanceof Int32Array)) throw new TypeError(`select: ${name} must be an fd_set or null`);
  return mem;
}

/** `FD_ZERO(set)`: empties the set. */
export function FD_ZERO(set: fd_set): void {
  set[FD_MEMORY][0] = 0;
}

/** `FD_SET(fd, set)`: appends fd unless it is already there or the set is full (then silently nothing). */
export function FD_SET(fd: SOCKET, set: fd_set): void {
  const m = set[FD_MEMORY];
  const n = Math.min(m[0]! >>> 0, m.length - 1);
  for (let i = 1; i <= n; i++) if (m[i] === fd) return;
  if (n < m.length - 1) {
    m[n + 1] = fd;
    m[0] = n + 1;
  }
}

/** `FD_CLR(fd, set)`: removes fd, shifting the rest down so their order stays. */
export function FD_CLR(fd: SOCKET, set: fd_set): void {
  const m = set[FD_MEMORY];
  const n = Math.min(m[0]! >>> 0, m.length - 1);
  for (let i = 1; i <= n; i++) {
    if (m[i] !== fd) continue;
    m.copyWithin(i, i + 1, n + 1);
    m[0] = n - 1;
    return;
  }
}

/** `FD_ISSET(fd, set)`: non-zero (1) when fd is in the set, as `__WSAFDIsSet` answers. */
export function FD_ISSET(fd: SOCKET, set: fd_set): number {
  const m = set[FD_MEMORY];
  const n = Math.min(m[0]! >>> 0, m.length - 1);
  for (let i = 1; i <= n; i++) if (m[i] === fd) return 1;
  return 0;
}
