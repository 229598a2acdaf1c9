// WSAAsyncSelect, on core's network-event recorder, posting into this realm's message queue.
import { native } from '@winsock-models/core/internal';
import type { SOCKET } from '@winsock-models/core';
import { postBatch } from './message-queue.js';
import { realm } from './realm.js';
import type { HWND } from './windows.js';

// Core posts WSAAsyncSelect's messages through this realm's queue. Set when the package loads; the ESM
// and CommonJS builds both set it, and both post into the one queue of the realm (realm.ts).
native.setMessagePoster(postBatch);

/**
 * `WSAAsyncSelect(s, hWnd, wMsg, lEvent)`: posts `wMsg` to `hWnd` for each FD_* event of `lEvent` that
 * occurs on `s`, one message per event: wParam = the socket, lParam = WSAMAKESELECTREPLY(event, error).
 * Makes `s` non-blocking (ioctlsocket(FIONBIO, 0) then fails with WSAEINVAL until lEvent is 0).
 * Replaces any earlier WSAAsyncSelect or WSAEventSelect on `s`, and posts afresh every condition that
 * still holds (FD_READ with data queued, FD_WRITE when connected, ...; never FD_CONNECT). lEvent 0
 * cancels. Sockets accepted from `s` inherit the registration. Messages already queued stay queued,
 * even after closesocket or a new registration: the window procedure must tolerate them. hWnd may be a
 * window of another thread (a worker): that thread's queue gets the messages. A handle that is no
 * window is WSAEINVAL. 0 or SOCKET_ERROR.
 */
export function WSAAsyncSelect(s: SOCKET, hWnd: HWND | null, wMsg: number, lEvent: number): number {
  const isWindow = typeof hWnd === 'number' && realm().windows.has(hWnd);
  return native.WSAAsyncSelect(s, hWnd, wMsg, lEvent, isWindow);
}
