// Core's tests use the shared loopback fixtures (packages/testing) bound to core's source, so a test
// process loads one copy of core. Loaded by path: core cannot depend on the testing package, which
// depends on core (packages/core/turbo.json builds it before core's typecheck and tests).
import * as ws from '../src/index.js';
import { fixtures } from '../../testing/dist/fixtures.js';

export { loopTurns, until } from '../../testing/dist/fixtures.js';

const fx = fixtures(ws);
export const { startup, loopback4, loopback6, udpPair, hasIPv6Loopback } = fx;

/** Fails the test with the WSA code when a call returned its failure value. */
export const ok = fx.check;

/** A bound listening TCP socket on loopback and its address (port filled in). */
export function listener(family: number = ws.AF_INET): { s: ws.SOCKET; addr: ws.SOCKADDR_IN | ws.SOCKADDR_IN6 } {
  const { ls, addr } = fx.listener(family);
  return { s: ls, addr };
}

/** A connected TCP pair over loopback: client and the accepted server side (both blocking), listener closed. */
export function tcpPair(family: number = ws.AF_INET): { client: ws.SOCKET; server: ws.SOCKET; close(): void } {
  const { ls, client, server } = fx.pair(family);
  ws.closesocket(ls);
  return { client, server, close: () => fx.closeAll(client, server) };
}
