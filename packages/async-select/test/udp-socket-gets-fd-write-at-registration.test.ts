import { beforeAll, expect, test } from 'vitest';
import { WSAAsyncSelect, sendto, recvfrom, sizeof, FD_READ, FD_WRITE } from '../src/index.js';
import { startup, udpPair, socketWindow, expectMessage, drain, check, WM_SOCKET } from './helpers.js';

beforeAll(startup);

test('a UDP socket posts FD_WRITE at registration, and FD_READ when a datagram arrives', async () => {
  const hWnd = socketWindow();
  const { a: u, b: peer, addrA, close } = udpPair();
  check(WSAAsyncSelect(u, hWnd, WM_SOCKET, FD_READ | FD_WRITE), 'WSAAsyncSelect');
  expect(drain(hWnd)).toEqual([expect.objectContaining({ socket: u, event: FD_WRITE, error: 0 })]);  // before it returned
  check(sendto(peer, Buffer.from('dgram'), 5, 0, addrA, sizeof(addrA)), 'sendto');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_READ, error: 0 });
  expect(recvfrom(u, Buffer.alloc(16), 16, 0, null, null)).toBe(5);
  check(sendto(peer, Buffer.from('next'), 4, 0, addrA, sizeof(addrA)), 'sendto');
  // The next message is the second datagram's FD_READ: nothing came between.
  expect(await expectMessage(hWnd)).toMatchObject({ socket: u, event: FD_READ, error: 0 });
  close();
});
