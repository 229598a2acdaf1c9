// @winsock-models/async-select: a window-message world for one realm, and WSAAsyncSelect. A ported
// program imports everything it needs from here: windows, messages, WSAAsyncSelect and its lParam
// macros, and core's sockets and constants.
export * from '@winsock-models/core';
export { WNDCLASS, RegisterClass, UnregisterClass, type WNDPROC } from './window-class.js';
export { CreateWindow, CreateWindowEx, DestroyWindow, DefWindowProc, SendMessage, IsWindow, type HWND } from './windows.js';
export {
  MSG, POINT, PostMessage, PostQuitMessage, GetMessage, PeekMessage, TranslateMessage, DispatchMessage, messages,
} from './message-queue.js';
export { WSAAsyncSelect } from './async-select.js';
export {
  WSAGETSELECTEVENT, WSAGETSELECTERROR, WSAMAKESELECTREPLY, WSAMAKEASYNCREPLY, WSAGETASYNCBUFLEN, WSAGETASYNCERROR,
} from './select-reply.js';
export { WSAGetLastError as GetLastError, WSASetLastError as SetLastError } from '@winsock-models/core';
