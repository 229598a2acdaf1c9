// CreateWindow, DestroyWindow, DefWindowProc, SendMessage, IsWindow.
import {
  ERROR_CANNOT_FIND_WND_CLASS, ERROR_INVALID_WINDOW_HANDLE, HWND_MESSAGE, WM_CLOSE, WM_CREATE, WM_DESTROY,
  WM_NCCREATE, WM_NCDESTROY, WSASetLastError,
} from '@winsock-models/core';
import { native } from '@winsock-models/core/internal';
import { realm, type WindowRecord } from './realm.js';
import { classKey } from './window-class.js';

export type HWND = number;
export { HWND_MESSAGE };

function callProc(w: WindowRecord, msg: number, wParam: number, lParam: number): number {
  const r = w.wndProc(w.hwnd, msg, wParam, lParam);
  return typeof r === 'number' ? r : 0;
}

/** The realm's window for hWnd, or undefined (with ERROR_INVALID_WINDOW_HANDLE set when `report`). */
export function lookupWindow(hWnd: HWND, report = true): WindowRecord | undefined {
  const w = realm().windows.get(hWnd);
  if (!w && report) WSASetLastError(ERROR_INVALID_WINDOW_HANDLE);
  return w;
}

/**
 * `CreateWindowEx(dwExStyle, lpClassName, lpWindowName, dwStyle, X, Y, nWidth, nHeight, hWndParent,
 * hMenu, hInstance, lpParam)`: sends WM_NCCREATE and WM_CREATE to the window procedure (lParam is 0:
 * there is no CREATESTRUCT). Returns the HWND, or 0 with the last error set.
 */
export function CreateWindowEx(_dwExStyle: number, lpClassName: string, lpWindowName: string | null, _dwStyle: number,
  _X: number, _Y: number, _nWidth: number, _nHeight: number, _hWndParent: HWND | null, _hMenu: number | null,
  _hInstance: number | null, _lpParam: unknown): HWND {
  const r = realm();
  const entry = r.classes.get(classKey(String(lpClassName)));
  if (!entry) { WSASetLastError(ERROR_CANNOT_FIND_WND_CLASS); return 0; }
  const w: WindowRecord = {
    hwnd: r.nextHwnd++, wndClass: entry.wndClass, wndProc: entry.wndClass.lpfnWndProc!,
    title: lpWindowName ?? '', destroying: false,
  };
  r.windows.set(w.hwnd, w);
  native.registerWindow(w.hwnd);  // other threads may post to it
  // A window whose WM_NCCREATE answers FALSE, or whose WM_CREATE answers -1, is never created.
  if (callProc(w, WM_NCCREATE, 0, 0) === 0 || callProc(w, WM_CREATE, 0, 0) === -1) {
    DestroyWindow(w.hwnd);
    return 0;
  }
  return w.hwnd;
}

/** `CreateWindow(lpClassName, lpWindowName, dwStyle, X, Y, nWidth, nHeight, hWndParent, hMenu, hInstance, lpParam)`. */
export function CreateWindow(lpClassName: string, lpWindowName: string | null, dwStyle: number, X: number, Y: number,
  nWidth: number, nHeight: number, hWndParent: HWND | null, hMenu: number | null, hInstance: number | null,
  lpParam: unknown): HWND {
  return CreateWindowEx(0, lpClassName, lpWindowName, dwStyle, X, Y, nWidth, nHeight, hWndParent, hMenu, hInstance, lpParam);
}

/**
 * Sends WM_DESTROY then WM_NCDESTROY, drops the window's queued messages and invalidates the handle.
 * TRUE (1), or FALSE (0) with ERROR_INVALID_WINDOW_HANDLE.
 */
export function DestroyWindow(hWnd: HWND): number {
  const w = lookupWindow(hWnd);
  if (!w) return 0;
  if (w.destroying) return 1;
  w.destroying = true;
  callProc(w, WM_DESTROY, 0, 0);
  callProc(w, WM_NCDESTROY, 0, 0);
  const r = realm();
  r.windows.delete(hWnd);
  native.unregisterWindow(hWnd);
  for (let i = r.head; i < r.queue.length; i++) if (r.queue[i]?.hwnd === hWnd) r.queue[i] = null;
  return 1;
}

/** TRUE when hWnd is a live window, of this thread or of another (as Win32's IsWindow). */
export function IsWindow(hWnd: HWND): number {
  if (realm().windows.has(hWnd)) return 1;
  return typeof hWnd === 'number' && native.isWindowAnywhere(hWnd) ? 1 : 0;
}

/** The default answers: WM_CLOSE destroys the window, WM_NCCREATE allows creation, the rest is 0. */
export function DefWindowProc(hWnd: HWND, Msg: number, _wParam: number, _lParam: number): number {
  if (Msg === WM_CLOSE) { DestroyWindow(hWnd); return 0; }
  if (Msg === WM_NCCREATE) return 1;
  return 0;
}

/**
 * Calls the window procedure now, on this thread, and returns its result (0 for a bad window). Only
 * this thread's windows: Win32 would block until another thread's loop ran the procedure, and a JS
 * thread cannot block on another's event loop; that gives 0 with ERROR_INVALID_WINDOW_HANDLE.
 */
export function SendMessage(hWnd: HWND, Msg: number, wParam: number, lParam: number): number {
  const w = lookupWindow(hWnd);
  return w ? callProc(w, Msg, wParam, lParam) : 0;
}
