// PostMessage to a window of another thread (a worker) puts the message in that thread's queue, in the
// order this thread posted; IsWindow sees every thread's windows. Once the window (or its thread) is
// gone, both say so.
import { beforeAll, expect, test } from 'vitest';
import { Worker } from 'node:worker_threads';
import { ERROR_INVALID_WINDOW_HANDLE, IsWindow, PostMessage, WM_USER, WSAGetLastError } from '../src/index.js';
import { startup, socketWindow, expectMessage, reply, workerPreamble, workerWithWindow } from './helpers.js';

beforeAll(startup);

// A worker with a window whose message loop records every message until WM_USER + 9, then reports
// them (and destroys the window when told to).
const windowThread = `${workerWithWindow('Theirs')}
  parentPort.postMessage(hWnd);
  (async () => {
    const got = [];
    const msg = new as.MSG();
    while ((await as.GetMessage(msg, hWnd, 0, 0)) > 0) {
      got.push([msg.hwnd, msg.message, msg.wParam, msg.lParam]);
      if (msg.message === as.WM_USER + 9) break;
    }
    parentPort.postMessage(got);
    parentPort.once('message', () => { as.DestroyWindow(hWnd); parentPort.postMessage('destroyed'); });
  })();`;

test('PostMessage to another thread\'s window queues it there, in this thread\'s posting order', async () => {
  const worker = new Worker(windowThread, { eval: true });
  const theirs = await reply<number>(worker);
  expect(IsWindow(theirs)).toBe(1);
  for (let i = 1; i <= 5; i++) expect(PostMessage(theirs, WM_USER + i, i * 10, -i)).toBe(1);
  expect(PostMessage(theirs, WM_USER + 9, 0, 0)).toBe(1);
  const got = await reply<number[][]>(worker);
  expect(got).toEqual([
    ...[1, 2, 3, 4, 5].map((i) => [theirs, WM_USER + i, i * 10, -i]),
    [theirs, WM_USER + 9, 0, 0],
  ]);
  worker.postMessage('destroy');
  expect(await reply<string>(worker)).toBe('destroyed');
  expect(IsWindow(theirs)).toBe(0);
  expect(PostMessage(theirs, WM_USER + 1, 0, 0)).toBe(0);
  expect(WSAGetLastError()).toBe(ERROR_INVALID_WINDOW_HANDLE);
  await worker.terminate();
});

test('a worker posts to this thread\'s window; after the worker is gone its window is no window', async () => {
  const mine = socketWindow();
  const worker = new Worker(windowThread, { eval: true });
  const theirs = await reply<number>(worker);
  const poster = new Worker(
    `${workerPreamble}
     as.PostMessage(workerData, as.WM_USER + 5, 55, 66);`,
    { eval: true, workerData: mine },
  );
  const posterExited = new Promise((resolve) => poster.once('exit', resolve));  // it may exit at once
  expect(await expectMessage(mine)).toMatchObject({ message: WM_USER + 5, socket: 55, lParam: 66 });
  await posterExited;
  await worker.terminate();
  expect(IsWindow(theirs)).toBe(0);
  expect(PostMessage(theirs, WM_USER + 1, 0, 0)).toBe(0);
  expect(WSAGetLastError()).toBe(ERROR_INVALID_WINDOW_HANDLE);
});
