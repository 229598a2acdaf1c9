// An unbound UDP socket registered for every event posts FD_WRITE at registration, and connect posts
// FD_WRITE again, with no FD_CONNECT [observed on Windows] (issue 15; winsock-spec §3.2: "UDP connect:
// only FD_WRITE is posted in message mode").
import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, socket, bind, connect, closesocket, getsockname, inet_pton, sizeof, sendto, SOCKADDR_IN, AF_INET,
  SOCK_DGRAM, FD_ALL_EVENTS, FD_READ, FD_WRITE,
} from '../src/index.js';
import { startup, socketWindow, expectMessage, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('unbound UDP: FD_WRITE at registration, FD_WRITE (not FD_CONNECT) after connect', async () => {
  const hWnd = socketWindow();
  const peer = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  check(bind(peer, addr, sizeof(addr)), 'bind');
  check(getsockname(peer, addr, { value: sizeof(addr) }), 'getsockname');
  const u = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  check(WSAAsyncSelect(u, hWnd, WM_SOCKET, FD_ALL_EVENTS), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_WRITE, error: 0 });
  check(connect(u, addr, sizeof(addr)), 'connect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_WRITE, error: 0 });
  // The next message is the datagram's FD_READ: nothing else was posted for the connect.
  const back = new SOCKADDR_IN();
  check(getsockname(u, back, { value: sizeof(back) }), 'getsockname');
  inet_pton(AF_INET, '127.0.0.1', back.sin_addr);
  check(sendto(peer, Buffer.from('hi'), 2, 0, back, sizeof(back)), 'sendto');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_READ, error: 0 });
  closesocket(u);
  closesocket(peer);
});
