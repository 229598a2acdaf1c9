import { beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { WSAAsyncSelect, closesocket, send, recv, FD_ACCEPT, FD_READ, FD_WRITE, FD_CLOSE, SOCKET_ERROR, WSAGetLastError, WSAEINVAL } from '../src/index.js';
import {
  startup, pair, listener, dial, closeAll, socketWindow, expectMessage, check, WM_SOCKET, reply, workerPreamble,
  workerWithWindow,
} from './helpers.js';

beforeAll(startup);

test('WSAAsyncSelect with another thread\'s window posts to that thread; a handle that is no window is WSAEINVAL', async () => {
  // The worker's loop runs GetMessage on its window and reports the first socket message.
  const worker = new Worker(
    `${workerWithWindow('WorkerWindow')}
     parentPort.postMessage(hWnd);
     const msg = new as.MSG();
     as.GetMessage(msg, hWnd, 0, 0).then(() => parentPort.postMessage([msg.hwnd, msg.message, msg.wParam, msg.lParam]));`,
    { eval: true },
  );
  const theirs = await reply<number>(worker);
  expect(theirs).not.toBe(0);
  const { ls, client, server } = pair();
  check(WSAAsyncSelect(server, theirs, WM_SOCKET, FD_READ), 'WSAAsyncSelect');
  send(client, Buffer.from('x'), 1, 0);
  expect(await reply<number[]>(worker)).toEqual([theirs, WM_SOCKET, server, FD_READ]);
  await worker.terminate();
  // The worker and its window are gone: that handle is no window any more.
  expect(WSAAsyncSelect(server, theirs, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  expect(WSAAsyncSelect(server, 0x7ffff0, WM_SOCKET, FD_READ)).toBe(SOCKET_ERROR);
  expect(WSAGetLastError()).toBe(WSAEINVAL);
  closeAll(client, server, ls);
});

test('a socket accepted in a worker inherits the registration: its messages reach the window\'s thread', async () => {
  const hWnd = socketWindow();
  const { ls, addr } = listener();
  check(WSAAsyncSelect(ls, hWnd, WM_SOCKET, FD_ACCEPT | FD_READ | FD_CLOSE), 'WSAAsyncSelect');
  const c = dial(addr);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: ls, event: FD_ACCEPT });
  // The worker accepts (socket numbers are process-wide) and keeps running until told to stop, so its
  // loop is the one that polls the new socket.
  const worker = new Worker(
    `${workerPreamble}
     parentPort.postMessage(as.accept(workerData, null, null));
     parentPort.once('message', () => process.exit(0));`,
    { eval: true, workerData: ls },
  );
  const s = await reply<number>(worker);
  expect(s).toBeGreaterThan(0);
  send(c, Buffer.from('hi'), 2, 0);
  expect(await expectMessage(hWnd)).toMatchObject({ message: WM_SOCKET, socket: s, event: FD_READ, error: 0 });
  closesocket(c);
  expect(await expectMessage(hWnd)).toMatchObject({ socket: s, event: FD_CLOSE, error: 0 });
  worker.postMessage('stop');
  await new Promise((resolve) => worker.once('exit', resolve));
  expect(closesocket(s)).toBe(0);
  closeAll(ls);
});

test('a worker that exits with a socket registered to its window leaves the socket usable here', async () => {
  const { ls, client, server } = pair();
  const worker = new Worker(
    `${workerWithWindow('Gone')}
     parentPort.postMessage(as.WSAAsyncSelect(workerData, hWnd, as.WM_USER + 1, as.FD_READ | as.FD_WRITE));`,
    { eval: true, workerData: server },
  );
  expect(await reply<number>(worker)).toBe(0);
  await worker.terminate();
  send(client, Buffer.from('after'), 5, 0);  // nobody polls for the worker's window any more
  const hWnd = socketWindow();
  check(WSAAsyncSelect(server, hWnd, WM_SOCKET, FD_READ | FD_WRITE), 'WSAAsyncSelect');
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_READ });
  expect(await expectMessage(hWnd)).toMatchObject({ socket: server, event: FD_WRITE });
  expect(recv(server, Buffer.alloc(8), 8, 0)).toBe(5);
  closeAll(client, server, ls);
});
