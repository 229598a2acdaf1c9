// @winsock-models/select: the select model. fd_set, FD_ZERO/FD_SET/FD_CLR/FD_ISSET, timeval and
// select() with Winsock's semantics, plus the core names a ported program needs, so it imports from
// one place.
export * from '@winsock-models/core';
export { fd_set, FD_ZERO, FD_SET, FD_CLR, FD_ISSET } from './fd-set.js';
export { timeval } from './timeval.js';
export { select } from './select.js';
