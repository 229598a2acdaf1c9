// The tour's call counter wraps the native core before anything loads it: Winsock calls are counted
// by name, SOCKET_ERROR results by the error they set, routines and WAIT_IO_COMPLETION as they happen.
import { expect, test } from 'vitest';
import { installCallCounter } from '../src/call-counter.js';

const counter = installCallCounter();

test('calls, failures, completion routines and alertable waits are counted', async () => {
  expect(counter).not.toBeNull();
  const c = await import('@winsock-models/overlapped-routine');
  expect(c.WSAStartup(c.MAKEWORD(2, 2), new c.WSADATA())).toBe(0);
  const l = c.socket(c.AF_INET, c.SOCK_STREAM, 0);
  const addr = new c.SOCKADDR_IN();
  addr.sin_family = c.AF_INET;
  c.inet_pton(c.AF_INET, '127.0.0.1', addr.sin_addr);
  c.bind(l, addr, c.sizeof(addr));
  c.listen(l, 4);
  c.getsockname(l, addr, { value: c.sizeof(addr) });
  const a = c.socket(c.AF_INET, c.SOCK_STREAM, 0);
  c.connect(a, addr, c.sizeof(addr));
  const b = c.accept(l, null, null);
  c.ioctlsocket(b, c.FIONBIO, { value: 1 });
  counter!.reset();

  expect(c.recv(b, Buffer.alloc(8), 8, 0)).toBe(c.SOCKET_ERROR);  // nothing yet: WSAEWOULDBLOCK
  let ran = 0;
  expect(c.WSARecv(b, [new c.WSABUF(8, Buffer.alloc(8))], 1, null, { value: 0 }, new c.WSAOVERLAPPED(), () => { ran++; }))
    .toBe(c.SOCKET_ERROR);  // WSA_IO_PENDING
  c.send(a, Buffer.from('hi'), 2, 0);
  expect(await c.SleepEx(c.INFINITE, true)).toBe(c.WAIT_IO_COMPLETION);
  expect(ran).toBe(1);

  expect(counter!.snapshot()).toMatchObject({ recv: 1, WSARecv: 1, send: 1, SleepEx: 1 });
  expect(counter!.failures()).toEqual({ [`recv ${c.WSAEWOULDBLOCK}`]: 1, [`WSARecv ${c.WSA_IO_PENDING}`]: 1 });
  expect(counter!.alertable()).toEqual({ 'completion routines run': 1, 'SleepEx returned WAIT_IO_COMPLETION': 1 });
  for (const s of [a, b, l]) c.closesocket(s);
  c.WSACleanup();
});
