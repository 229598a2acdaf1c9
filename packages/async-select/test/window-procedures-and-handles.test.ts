import { expect, test } from 'vitest';
import {
  CreateWindow, DestroyWindow, DispatchMessage, ERROR_CANNOT_FIND_WND_CLASS, ERROR_CLASS_ALREADY_EXISTS,
  ERROR_INVALID_WINDOW_HANDLE, GetLastError, GetMessage, IsWindow, MSG, PM_REMOVE, PeekMessage, PostMessage,
  RegisterClass, SendMessage, WM_CLOSE, WM_CREATE, WM_DESTROY, WM_NCCREATE, WM_NCDESTROY, WM_USER, WNDCLASS,
  TranslateMessage,
} from '../src/index.js';
import { makeWindow } from './window.js';

test('CreateWindow sends WM_NCCREATE and WM_CREATE; DestroyWindow sends WM_DESTROY and WM_NCDESTROY', () => {
  const w = makeWindow();
  expect(w.seen.map(([m]) => m)).toEqual([WM_NCCREATE, WM_CREATE]);
  expect(IsWindow(w.hWnd)).toBe(1);
  expect(DestroyWindow(w.hWnd)).toBe(1);
  expect(w.seen.map(([m]) => m)).toEqual([WM_NCCREATE, WM_CREATE, WM_DESTROY, WM_NCDESTROY]);
  expect(IsWindow(w.hWnd)).toBe(0);
});

test('DispatchMessage calls the window procedure and returns its result; SendMessage calls it at once', async () => {
  const w = makeWindow((_h, msg, wp) => (msg >= WM_USER ? wp * 2 : undefined));
  PostMessage(w.hWnd, WM_USER, 21, 0);
  const msg = new MSG();
  expect(await GetMessage(msg, null, 0, 0)).toBe(1);
  expect(TranslateMessage(msg)).toBe(0);
  expect(DispatchMessage(msg)).toBe(42);
  expect(SendMessage(w.hWnd, WM_USER + 1, 5, 0)).toBe(10);
  expect(w.seen.slice(-2)).toEqual([[WM_USER, 21, 0], [WM_USER + 1, 5, 0]]);
});

test('a destroyed or unknown window: PostMessage FALSE, GetMessage -1, both with ERROR_INVALID_WINDOW_HANDLE', async () => {
  const w = makeWindow();
  PostMessage(w.hWnd, WM_USER, 0, 0);
  DestroyWindow(w.hWnd);
  const msg = new MSG();
  expect(PeekMessage(msg, null, 0, 0, PM_REMOVE)).toBe(0); // its queued messages went with it
  expect(PostMessage(w.hWnd, WM_USER, 0, 0)).toBe(0);
  expect(GetLastError()).toBe(ERROR_INVALID_WINDOW_HANDLE);
  expect(await GetMessage(msg, 123456, 0, 0)).toBe(-1);
  expect(GetLastError()).toBe(ERROR_INVALID_WINDOW_HANDLE);
  expect(DestroyWindow(w.hWnd)).toBe(0);
});

test('WM_CLOSE through DefWindowProc destroys the window', () => {
  const w = makeWindow();
  SendMessage(w.hWnd, WM_CLOSE, 0, 0);
  expect(IsWindow(w.hWnd)).toBe(0);
});

test('RegisterClass refuses a duplicate name; CreateWindow refuses an unknown class; -1 from WM_CREATE cancels creation', () => {
  const w = makeWindow();
  const again = new WNDCLASS();
  again.lpszClassName = w.className.toLowerCase(); // class names are case-insensitive
  again.lpfnWndProc = () => 0;
  expect(RegisterClass(again)).toBe(0);
  expect(GetLastError()).toBe(ERROR_CLASS_ALREADY_EXISTS);
  expect(CreateWindow('NoSuchClass', null, 0, 0, 0, 0, 0, null, null, null, null)).toBe(0);
  expect(GetLastError()).toBe(ERROR_CANNOT_FIND_WND_CLASS);
  const refusing = new WNDCLASS();
  refusing.lpszClassName = 'Refusing';
  refusing.lpfnWndProc = (_h, m) => (m === WM_CREATE ? -1 : m === WM_NCCREATE ? 1 : 0);
  expect(RegisterClass(refusing)).toBeGreaterThan(0);
  expect(CreateWindow('Refusing', null, 0, 0, 0, 0, 0, null, null, null, null)).toBe(0);
  expect(() => RegisterClass({ lpszClassName: 'x', lpfnWndProc: 5 } as never)).toThrow(TypeError);
});
