// A window class whose procedure records what it is sent.
import { DefWindowProc, RegisterClass, CreateWindow, WNDCLASS } from '../src/index.js';

let n = 0;
export function makeWindow(onMessage?: (hWnd: number, msg: number, w: number, l: number) => number | void) {
  const seen: Array<[number, number, number]> = [];
  const wc = new WNDCLASS();
  wc.lpszClassName = `TestWindow${n++}`;
  wc.lpfnWndProc = (hWnd, msg, w, l) => {
    seen.push([msg, w, l]);
    const r = onMessage?.(hWnd, msg, w, l);
    return r ?? DefWindowProc(hWnd, msg, w, l);
  };
  if (!RegisterClass(wc)) throw new Error('RegisterClass failed');
  const hWnd = CreateWindow(wc.lpszClassName, 'test', 0, 0, 0, 0, 0, null, null, null, null);
  if (!hWnd) throw new Error('CreateWindow failed');
  return { hWnd, seen, className: wc.lpszClassName };
}
