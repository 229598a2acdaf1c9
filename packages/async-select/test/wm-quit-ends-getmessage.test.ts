import { expect, test } from 'vitest';
import { GetMessage, MSG, PM_REMOVE, PeekMessage, PostMessage, PostQuitMessage, WM_QUIT, WM_USER, messages } from '../src/index.js';
import { makeWindow } from './window.js';

test('PostQuitMessage ends GetMessage with 0 and WM_QUIT carrying the exit code, after the queued messages', async () => {
  const { hWnd } = makeWindow();
  PostMessage(hWnd, WM_USER, 0, 0);
  PostQuitMessage(3);
  PostMessage(hWnd, WM_USER + 1, 0, 0);
  const msg = new MSG();
  expect(await GetMessage(msg, null, 0, 0)).toBe(1);
  expect(await GetMessage(msg, null, 0, 0)).toBe(1);
  expect(msg.message).toBe(WM_USER + 1);
  expect(await GetMessage(msg, null, 0, 0)).toBe(0);
  expect([msg.message, msg.wParam, msg.hwnd]).toEqual([WM_QUIT, 3, 0]);
  expect(PeekMessage(msg, null, 0, 0, PM_REMOVE)).toBe(0); // retrieved once
});

test('WM_QUIT passes any range filter, but a window filter never sees it', async () => {
  const { hWnd } = makeWindow();
  PostQuitMessage(0);
  const msg = new MSG();
  expect(PeekMessage(msg, hWnd, 0, 0, PM_REMOVE)).toBe(0);
  expect(await GetMessage(msg, null, WM_USER, WM_USER)).toBe(0);
});

test('a waiting GetMessage is ended by a later PostQuitMessage', async () => {
  const msg = new MSG();
  const pending = GetMessage(msg, null, 0, 0);
  PostQuitMessage(9);
  expect(await pending).toBe(0);
  expect(msg.wParam).toBe(9);
});

test('messages() iterates until WM_QUIT', async () => {
  const { hWnd } = makeWindow();
  PostMessage(hWnd, WM_USER + 1, 0, 0);
  PostMessage(hWnd, WM_USER + 2, 0, 0);
  PostQuitMessage(0);
  const got: number[] = [];
  for await (const m of messages()) got.push(m.message);
  expect(got).toEqual([WM_USER + 1, WM_USER + 2]);
});
