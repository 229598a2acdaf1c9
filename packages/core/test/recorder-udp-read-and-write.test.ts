import { beforeAll, expect, test } from 'vitest';
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, sendto, recvfrom, connect, getsockname, closesocket, inet_pton, sizeof,
  SOCKADDR_IN, AF_INET, SOCK_DGRAM, WSACreateEvent, WSACloseEvent, WSAWaitForMultipleEvents, FD_READ, FD_WRITE,
  FD_CONNECT, WSA_WAIT_EVENT_0, FALSE,
} from '../src/index.js';
import { native } from '../src/internal.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

function enumBits(s: number, ev: number): number {
  const ne = new Uint8Array(44);
  expect(native.WSAEnumNetworkEvents(s, ev, ne)).toBe(0);
  return new DataView(ne.buffer).getInt32(0, true);
}

test('a UDP socket records FD_WRITE at registration and FD_READ per recvfrom while datagrams wait', async () => {
  const a = socket(AF_INET, SOCK_DGRAM, 0);
  const b = socket(AF_INET, SOCK_DGRAM, 0);
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, '127.0.0.1', addr.sin_addr);
  expect(bind(b, addr, sizeof(addr))).toBe(0);
  getsockname(b, addr, { value: sizeof(addr) });
  const ev = WSACreateEvent();
  expect(native.WSAEventSelect(b, ev, FD_READ | FD_WRITE)).toBe(0);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 0, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(enumBits(b, ev)).toBe(FD_WRITE);
  sendto(a, Buffer.from('one'), 3, 0, addr, sizeof(addr));
  sendto(a, Buffer.from('two'), 3, 0, addr, sizeof(addr));
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 5000, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(enumBits(b, ev)).toBe(FD_READ);
  expect(recvfrom(b, Buffer.alloc(8), 8, 0, null, null)).toBe(3);
  expect(await WSAWaitForMultipleEvents(1, [ev], FALSE, 5000, FALSE)).toBe(WSA_WAIT_EVENT_0);  // the second one
  expect(enumBits(b, ev)).toBe(FD_READ);
  // connect on a registered UDP socket records FD_CONNECT (event mode).
  const cev = WSACreateEvent();
  expect(native.WSAEventSelect(a, cev, FD_CONNECT)).toBe(0);
  expect(connect(a, addr, sizeof(addr))).toBe(0);
  expect(await WSAWaitForMultipleEvents(1, [cev], FALSE, 5000, FALSE)).toBe(WSA_WAIT_EVENT_0);
  expect(enumBits(a, cev) & FD_CONNECT).toBe(FD_CONNECT);
  closesocket(a);
  closesocket(b);
  WSACloseEvent(ev);
  WSACloseEvent(cev);
});
