// @winsock-models/async-select: a window-message world for one realm, and WSAAsyncSelect.
export * from '@winsock-models/core';
export { WNDCLASS, RegisterClass, UnregisterClass, type WNDPROC } from './window-class.js';
export { CreateWindow, CreateWindowEx, DestroyWindow, DefWindowProc, SendMessage, IsWindow, type HWND } from './windows.js';
export {
  MSG, POINT, PostMessage, PostQuitMessage, GetMessage, PeekMessage, TranslateMessage, DispatchMessage, messages,
} from './message-queue.js';
export { WSAGetLastError as GetLastError, WSASetLastError as SetLastError } from '@winsock-models/core';
