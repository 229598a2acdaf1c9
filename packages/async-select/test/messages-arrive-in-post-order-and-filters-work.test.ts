import { expect, test } from 'vitest';
import { GetMessage, MSG, PM_NOREMOVE, PM_REMOVE, PeekMessage, PostMessage, WM_USER } from '../src/index.js';
import { makeWindow } from './window.js';

async function drain(hWnd: number | null, min = 0, max = 0): Promise<number[]> {
  const got: number[] = [];
  const msg = new MSG();
  while (PeekMessage(msg, hWnd, min, max, PM_NOREMOVE)) {
    expect(await GetMessage(msg, hWnd, min, max)).toBeGreaterThan(0);
    got.push(msg.message);
  }
  return got;
}

test('messages come out in the order they were posted, with hwnd, wParam, lParam and a time', async () => {
  const { hWnd } = makeWindow();
  for (let i = 0; i < 5; i++) expect(PostMessage(hWnd, WM_USER + i, i * 10, -i)).toBe(1);
  const msg = new MSG();
  for (let i = 0; i < 5; i++) {
    expect(await GetMessage(msg, null, 0, 0)).toBe(1);
    expect([msg.hwnd, msg.message, msg.wParam, msg.lParam]).toEqual([hWnd, WM_USER + i, i * 10, -i]);
    expect(msg.time).toBeGreaterThanOrEqual(0);
  }
});

test('a range filter takes only messages in [min, max] and leaves the rest in order', async () => {
  const { hWnd } = makeWindow();
  for (const m of [WM_USER + 1, WM_USER + 5, WM_USER + 2, WM_USER + 9]) PostMessage(hWnd, m, 0, 0);
  expect(await drain(null, WM_USER + 1, WM_USER + 2)).toEqual([WM_USER + 1, WM_USER + 2]);
  expect(await drain(null)).toEqual([WM_USER + 5, WM_USER + 9]);
});

test('a window filter takes that window\'s messages; -1 takes thread messages (hwnd NULL) only', async () => {
  const a = makeWindow(), b = makeWindow();
  PostMessage(a.hWnd, WM_USER + 1, 0, 0);
  PostMessage(null, WM_USER + 2, 0, 0);
  PostMessage(b.hWnd, WM_USER + 3, 0, 0);
  PostMessage(a.hWnd, WM_USER + 4, 0, 0);
  expect(await drain(b.hWnd)).toEqual([WM_USER + 3]);
  expect(await drain(-1)).toEqual([WM_USER + 2]);
  expect(await drain(a.hWnd)).toEqual([WM_USER + 1, WM_USER + 4]);
});

test('PeekMessage with PM_NOREMOVE leaves the message, with PM_REMOVE takes it, and says 0 when none', () => {
  const { hWnd } = makeWindow();
  const msg = new MSG();
  expect(PeekMessage(msg, hWnd, 0, 0, PM_REMOVE)).toBe(0);
  PostMessage(hWnd, WM_USER, 7, 8);
  expect(PeekMessage(msg, hWnd, 0, 0, PM_NOREMOVE)).toBe(1);
  expect(PeekMessage(msg, hWnd, 0, 0, PM_REMOVE)).toBe(1);
  expect([msg.message, msg.wParam, msg.lParam]).toEqual([WM_USER, 7, 8]);
  expect(PeekMessage(msg, hWnd, 0, 0, PM_REMOVE)).toBe(0);
});

test('GetMessage waits without blocking the event loop, and a later PostMessage wakes it', async () => {
  const { hWnd } = makeWindow();
  const msg = new MSG();
  const pending = GetMessage(msg, hWnd, 0, 0);
  let ticked = false;
  await new Promise((r) => setTimeout(() => { ticked = true; r(null); }, 5));
  expect(ticked).toBe(true);
  PostMessage(hWnd, WM_USER + 42, 1, 2);
  expect(await pending).toBe(1);
  expect(msg.message).toBe(WM_USER + 42);
});
