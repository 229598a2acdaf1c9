// struct timeval: select's relative timeout. Winsock never modifies it (Linux's select does).
import { SIZEOF } from '@winsock-models/core/internal';

/** `timeval`: seconds and microseconds (C's two 32-bit longs). `new timeval()` is {0, 0}: poll. */
export class timeval {
  tv_sec: number;
  tv_usec: number;
  constructor(tv_sec = 0, tv_usec = 0) {
    this.tv_sec = tv_sec;
    this.tv_usec = tv_usec;
  }
  static readonly [SIZEOF] = 8;
}

/** The timeout in milliseconds for native code: null waits forever; negative or not a number fails there. */
export function timeoutMs(timeout: timeval | null | undefined): number | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout !== 'object') throw new TypeError('select: timeout must be a timeval or null');
  const { tv_sec, tv_usec } = timeout;
  if (typeof tv_sec !== 'number' || typeof tv_usec !== 'number')
    throw new TypeError('select: timeout.tv_sec and timeout.tv_usec must be numbers');
  if (tv_sec < 0 || tv_usec < 0) return -1;  // WSAEINVAL
  return tv_sec * 1000 + tv_usec / 1000;
}
