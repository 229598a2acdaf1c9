import { beforeAll, expect, test } from 'vitest';
import {
  WSAAsyncSelect, socket, bind, sendto, recvfrom, getsockname, closesocket, inet_pton, sizeof, SOCKADDR_IN, AF_INET,
  SOCK_DGRAM, FD_READ, FD_WRITE,
} from '../src/index.js';
import { startup, socketWindow, expectMessage, quiet, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('a UDP socket posts FD_WRITE at registration, and FD_READ when a datagram arrives', async () => {
  const hWnd = socketWindow();
  const u = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  check(bind(u, addr, sizeof(addr)), 'bind');
  check(getsockname(u, addr, { value: sizeof(addr) }), 'getsockname');
  check(WSAAsyncSelect(u, hWnd, WM_SOCKET, FD_READ | FD_WRITE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_WRITE, error: 0 });
  const peer = check(socket(AF_INET, SOCK_DGRAM, 0), 'socket');
  check(sendto(peer, Buffer.from('dgram'), 5, 0, addr, sizeof(addr)), 'sendto');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_READ, error: 0 });
  expect(recvfrom(u, Buffer.alloc(16), 16, 0, null, null)).toBe(5);
  expect(await quiet(hWnd)).toBe(true);
  closesocket(peer);
  closesocket(u);
});
