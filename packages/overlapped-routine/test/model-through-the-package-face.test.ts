// The model through this package's own exports: routines run only in the alertable wait, receive and
// re-issue, and get WSA_OPERATION_ABORTED after closesocket.
import { expect, test } from 'vitest';
import {
  AF_INET, INADDR_LOOPBACK, INFINITE, MAKEWORD, SOCKADDR_IN, SOCK_STREAM, SleepEx, TRUE, WAIT_IO_COMPLETION, WSABUF,
  WSADATA, WSAOVERLAPPED, WSARecv, WSAStartup, WSA_OPERATION_ABORTED, accept, bind, closesocket, connect,
  getsockname, htonl, listen, send, sizeof, socket,
} from '../src/index.js';

test('overlapped model 2 end to end: routines receive and re-issue in alertable waits, then see the abort', async () => {
  expect(WSAStartup(MAKEWORD(2, 2), new WSADATA())).toBe(0);
  const l = socket(AF_INET, SOCK_STREAM, 0);
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l, addr, sizeof(addr));
  listen(l, 1);
  getsockname(l, addr, { value: sizeof(addr) });
  const c = socket(AF_INET, SOCK_STREAM, 0);
  connect(c, addr, sizeof(addr));
  const s = accept(l, null, null);

  const log: Array<[number, string]> = [];
  const buf = Buffer.alloc(32);
  const ov = new WSAOVERLAPPED();
  const routine = (dwError: number, cbTransferred: number) => {
    log.push([dwError, buf.subarray(0, cbTransferred).toString()]);
    if (dwError === 0 && cbTransferred > 0) WSARecv(s, new WSABUF(32, buf), 1, null, { value: 0 }, ov, routine);
  };
  WSARecv(s, new WSABUF(32, buf), 1, null, { value: 0 }, ov, routine);
  send(c, Buffer.from('first'), 5, 0);
  expect(await SleepEx(INFINITE, TRUE)).toBe(WAIT_IO_COMPLETION);
  send(c, Buffer.from('second'), 6, 0);
  expect(await SleepEx(INFINITE, TRUE)).toBe(WAIT_IO_COMPLETION);
  closesocket(s);
  expect(await SleepEx(0, TRUE)).toBe(WAIT_IO_COMPLETION);
  expect(log).toEqual([[0, 'first'], [0, 'second'], [WSA_OPERATION_ABORTED, '']]);
  for (const x of [c, l]) closesocket(x);
});
