// What the select tests add to the shared loopback fixtures (@winsock-models/testing): a registry of
// the sockets a test opened, so closeAll() closes every one of them.
import { check, dial, listener as listenOn } from '@winsock-models/testing';
import { AF_INET, SOCK_STREAM, INVALID_SOCKET, WSAGetLastError, accept, closesocket, socket, type SOCKET } from '../src/index.js';

export { loopback, nonblocking, refusedAddress, hasIPv6Loopback as hasIPv6 } from '@winsock-models/testing';

const opened = new Set<SOCKET>();

/** A socket that closeAll() closes; throws with the WSA code when socket() fails. */
export function open(af = AF_INET, type = SOCK_STREAM): SOCKET {
  const s = socket(af, type, 0);
  if (s === INVALID_SOCKET) throw new Error(`socket() failed: ${WSAGetLastError()}`);
  opened.add(s);
  return s;
}

export function track(s: SOCKET): SOCKET {
  if (s === INVALID_SOCKET) throw new Error(`accept() failed: ${WSAGetLastError()}`);
  opened.add(s);
  return s;
}

/** Closes every socket a test opened (ignoring those it already closed). */
export function closeAll(): void {
  for (const s of opened) closesocket(s);
  opened.clear();
}

/** A listening socket on a free loopback port and its address. */
export function listener(af = AF_INET): { s: SOCKET; addr: ReturnType<typeof listenOn>['addr'] } {
  const { ls, addr } = listenOn(af);
  return { s: track(ls), addr };
}

/** A connected TCP pair over loopback: client and the accepted server side (both blocking). */
export function tcpPair(af = AF_INET): { client: SOCKET; server: SOCKET; lsock: SOCKET } {
  const { s: lsock, addr } = listener(af);
  const client = track(dial(addr));
  const server = track(check(accept(lsock, null, null), 'accept'));
  return { client, server, lsock };
}
