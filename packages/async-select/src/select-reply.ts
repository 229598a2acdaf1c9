// The lParam of a WSAAsyncSelect message: the event in the low word, the error code in the high word.
import { HIWORD, LOWORD, MAKELONG } from '@winsock-models/core';

/** `WSAGETSELECTEVENT(lParam)`: the FD_* bit the message reports (LOWORD). */
export const WSAGETSELECTEVENT = (lParam: number): number => LOWORD(lParam);
/** `WSAGETSELECTERROR(lParam)`: the event's error code, 0 for none (HIWORD). */
export const WSAGETSELECTERROR = (lParam: number): number => HIWORD(lParam);
/** `WSAMAKESELECTREPLY(event, error)`: MAKELONG(event, error). */
export const WSAMAKESELECTREPLY = (event: number, error: number): number => MAKELONG(event, error);
/** `WSAMAKEASYNCREPLY(buflen, error)`: MAKELONG(buflen, error). */
export const WSAMAKEASYNCREPLY = (buflen: number, error: number): number => MAKELONG(buflen, error);
/** `WSAGETASYNCBUFLEN(lParam)`: LOWORD. */
export const WSAGETASYNCBUFLEN = (lParam: number): number => LOWORD(lParam);
/** `WSAGETASYNCERROR(lParam)`: HIWORD. */
export const WSAGETASYNCERROR = (lParam: number): number => HIWORD(lParam);
