// select(): Promise of the number of ready sockets, 0 on timeout, or SOCKET_ERROR with the last error set.
import { native } from '@winsock-models/core/internal';
import { memoryOfSet, type fd_set } from './fd-set.js';
import { timeoutMs, type timeval } from './timeval.js';

/**
 * `select(nfds, readfds, writefds, exceptfds, timeout)`. `nfds` is ignored, as in Winsock. `timeout`
 * null waits forever, `{0, 0}` checks and returns at once. On return each set holds only its ready
 * sockets (in their original order); the count is the total over the three sets. A socket that is
 * ready when select is called resolves without arming anything.
 */
export function select(nfds: number, readfds: fd_set | null, writefds: fd_set | null, exceptfds: fd_set | null,
  timeout: timeval | null): Promise<number> {
  void nfds;
  const r = native.select(memoryOfSet(readfds, 'readfds'), memoryOfSet(writefds, 'writefds'),
    memoryOfSet(exceptfds, 'exceptfds'), timeoutMs(timeout));
  return typeof r === 'number' ? Promise.resolve(r) : r;
}
