// An unbound UDP socket registered for every event records nothing at registration; connect then
// records FD_CONNECT and FD_WRITE together [observed on Windows; Wine differs] (issue 15; winsock-spec
// §3.2 "UDP connect": event mode records FD_CONNECT too).
import { beforeAll, expect, test } from 'vitest';
import {
  WSACreateEvent, WSACloseEvent, WSAEventSelect, socket, bind, connect, closesocket, getsockname, inet_pton, sizeof,
  SOCKADDR_IN, AF_INET, SOCK_DGRAM, FD_ALL_EVENTS, FD_CONNECT, FD_CONNECT_BIT, FD_WRITE,
} from '../src/index.js';
import { startup, check, enumerate } from './helpers.js';

beforeAll(startup);

function udpPeer(): { s: number; addr: SOCKADDR_IN } {
  const s = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  check(bind(s, addr, sizeof(addr)), 'bind');
  check(getsockname(s, addr, { value: sizeof(addr) }), 'getsockname');
  return { s, addr };
}

test('unbound UDP: nothing at registration, FD_CONNECT|FD_WRITE after connect', () => {
  const peer = udpPeer();
  const u = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  const ev = WSACreateEvent();
  check(WSAEventSelect(u, ev, FD_ALL_EVENTS), 'WSAEventSelect');  // samples the socket before returning
  expect(enumerate(u, ev).lNetworkEvents).toBe(0);
  check(connect(u, peer.addr, sizeof(peer.addr)), 'connect');
  const ne = enumerate(u, ev);
  expect(ne.lNetworkEvents).toBe(FD_CONNECT | FD_WRITE);
  expect(ne.iErrorCode[FD_CONNECT_BIT]).toBe(0);
  closesocket(u);
  closesocket(peer.s);
  WSACloseEvent(ev);
});

test('bound UDP: FD_WRITE at registration, and FD_CONNECT|FD_WRITE again after connect', () => {
  const peer = udpPeer();
  const u = udpPeer();
  const ev = WSACreateEvent();
  check(WSAEventSelect(u.s, ev, FD_ALL_EVENTS), 'WSAEventSelect');
  expect(enumerate(u.s, ev).lNetworkEvents).toBe(FD_WRITE);
  check(connect(u.s, peer.addr, sizeof(peer.addr)), 'connect');
  expect(enumerate(u.s, ev).lNetworkEvents).toBe(FD_CONNECT | FD_WRITE);
  closesocket(u.s);
  closesocket(peer.s);
  WSACloseEvent(ev);
});
