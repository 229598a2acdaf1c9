// WSAEventSelect and WSAEnumNetworkEvents, on core's network-event recorder.
import { native, memoryOf } from '@winsock-models/core/internal';
import type { SOCKET, WSAEVENT } from '@winsock-models/core';
import type { WSANETWORKEVENTS } from './network-events.js';

/**
 * `WSAEventSelect(s, hEventObject, lNetworkEvents)`: sets hEventObject when one of the FD_* events in
 * lNetworkEvents is recorded for s. Makes s non-blocking (ioctlsocket(FIONBIO, 0) then fails with
 * WSAEINVAL until lNetworkEvents is 0). Replaces any earlier registration; 0 cancels. Events already
 * recorded and not yet enumerated signal the new event at once. 0 or SOCKET_ERROR.
 */
export function WSAEventSelect(s: SOCKET, hEventObject: WSAEVENT | null, lNetworkEvents: number): number {
  return native.WSAEventSelect(s, hEventObject, lNetworkEvents);
}

/**
 * `WSAEnumNetworkEvents(s, hEventObject, lpNetworkEvents)`: in one step resets hEventObject (if given),
 * writes the recorded events in lpNetworkEvents.lNetworkEvents with each one's error code in
 * iErrorCode[FD_*_BIT] (other entries untouched), and clears them. 0 or SOCKET_ERROR.
 */
export function WSAEnumNetworkEvents(s: SOCKET, hEventObject: WSAEVENT | null,
  lpNetworkEvents: WSANETWORKEVENTS | null): number {
  return native.WSAEnumNetworkEvents(s, hEventObject, memoryOf(lpNetworkEvents));
}
