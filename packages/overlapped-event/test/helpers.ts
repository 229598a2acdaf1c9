// The loopback set-up of the tests that moved here from core (issue 18): core's one list of it,
// packages/core/test/helpers.ts, not a copy. Those helpers are written against core's source; these
// tests use core's build, through this package. At run time they are the same objects (structs are
// found by Symbol.for keys, and both load the one addon), so only the types are restated, for the
// addresses the tests pass on to this package's calls.
import * as core from '../../core/test/helpers.js';
import type { SOCKADDR_IN, SOCKADDR_IN6, SOCKET } from '../src/index.js';

export const { startup, tcpPair, ok } = core;
export const loopback4 = core.loopback4 as unknown as (port?: number) => SOCKADDR_IN;
export const listener = core.listener as unknown as (family?: number) => { s: SOCKET; addr: SOCKADDR_IN | SOCKADDR_IN6 };
export const udpPair = core.udpPair as unknown as () => {
  a: SOCKET; b: SOCKET; addrA: SOCKADDR_IN; addrB: SOCKADDR_IN; close(): void;
};
