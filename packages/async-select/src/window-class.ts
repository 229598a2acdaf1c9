// WNDCLASS and RegisterClass.
import { ERROR_CLASS_ALREADY_EXISTS, ERROR_INVALID_PARAMETER, WSASetLastError } from '@winsock-models/core';
import { realm } from './realm.js';

/** A window procedure: `LRESULT CALLBACK WndProc(HWND, UINT, WPARAM, LPARAM)`. */
export type WNDPROC = (hWnd: number, uMsg: number, wParam: number, lParam: number) => number | void;

/** `WNDCLASS`: only lpfnWndProc and lpszClassName matter in a world without pixels. */
export class WNDCLASS {
  style = 0;
  lpfnWndProc: WNDPROC | null = null;
  cbClsExtra = 0;
  cbWndExtra = 0;
  hInstance = 0;
  hIcon = 0;
  hCursor = 0;
  hbrBackground = 0;
  lpszMenuName: string | null = null;
  lpszClassName: string | null = null;
}

// Win32 class names are case-insensitive.
export const classKey = (name: string): string => name.toUpperCase();

/** Registers a window class. Returns its ATOM, or 0 with the last error set. */
export function RegisterClass(lpWndClass: WNDCLASS): number {
  if (lpWndClass === null || typeof lpWndClass !== 'object') throw new TypeError('RegisterClass(lpWndClass): lpWndClass must be a WNDCLASS');
  if (typeof lpWndClass.lpfnWndProc !== 'function') throw new TypeError('RegisterClass: WNDCLASS.lpfnWndProc must be a function');
  const name = lpWndClass.lpszClassName;
  if (typeof name !== 'string' || name.length === 0) { WSASetLastError(ERROR_INVALID_PARAMETER); return 0; }
  const r = realm();
  if (r.classes.has(classKey(name))) { WSASetLastError(ERROR_CLASS_ALREADY_EXISTS); return 0; }
  const atom = r.nextAtom++;
  r.classes.set(classKey(name), { atom, wndClass: { ...lpWndClass } });
  return atom;
}

/** Unregisters a class no window uses any more. TRUE (1) or FALSE (0). */
export function UnregisterClass(lpClassName: string, _hInstance = 0): number {
  const r = realm();
  const key = classKey(String(lpClassName));
  const entry = r.classes.get(key);
  if (!entry) return 0;
  for (const w of r.windows.values()) if (classKey(w.wndClass.lpszClassName ?? '') === key) return 0;
  r.classes.delete(key);
  return 1;
}
