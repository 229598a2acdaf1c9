// Accepting, with WSAEventSelect: FD_ACCEPT on the listening socket signals an event object; one
// accept per FD_ACCEPT (accept re-enables it, recorded again at once while connections wait). A
// non-alertable wait: this loop never runs completion routines, the I/O loop does.
import {
  AF_INET, FALSE, FD_ACCEPT, FD_ACCEPT_BIT, INVALID_SOCKET, SOCKADDR_IN, SOCKET_ERROR, WSA_INFINITE, WSA_WAIT_EVENT_0,
  WSAEnumNetworkEvents, WSAEventSelect, WSANETWORKEVENTS, WSAWaitForMultipleEvents, accept, inet_ntop, ntohs, sizeof,
  type SOCKET, type WSAEVENT,
} from '@winsock-models/event-select';

export interface Accepted { sock: SOCKET; address: string }

/**
 * Runs until `stop` is signalled (set `wake`): each accepted socket goes to `onAccept`. The accepted
 * socket inherits the listening socket's registration; it is cancelled (mask 0) before the socket is
 * handed over, since its I/O is overlapped.
 */
export async function acceptLoop(listenSock: SOCKET, listenEvent: WSAEVENT, wake: WSAEVENT, stopped: () => boolean,
  onAccept: (a: Accepted) => void, trace?: (line: string) => void): Promise<void> {
  if (WSAEventSelect(listenSock, listenEvent, FD_ACCEPT) === SOCKET_ERROR) throw new Error('WSAEventSelect(listen) failed');
  const events = [listenEvent, wake];
  const ne = new WSANETWORKEVENTS();
  const addr = new SOCKADDR_IN();
  while (true) {
    const r = await WSAWaitForMultipleEvents(2, events, FALSE, WSA_INFINITE, FALSE);
    if (stopped()) return;
    if (r !== WSA_WAIT_EVENT_0) continue;
    if (WSAEnumNetworkEvents(listenSock, listenEvent, ne) === SOCKET_ERROR) continue;
    if (!(ne.lNetworkEvents & FD_ACCEPT)) continue;
    if (ne.iErrorCode[FD_ACCEPT_BIT] !== 0) { trace?.(`[chat] FD_ACCEPT error ${ne.iErrorCode[FD_ACCEPT_BIT]}`); continue; }
    const sock = accept(listenSock, addr, { value: sizeof(addr) });
    if (sock === INVALID_SOCKET) continue;
    WSAEventSelect(sock, listenEvent, 0);  // drop the inherited FD_ACCEPT registration
    const address = `${inet_ntop(AF_INET, addr.sin_addr)}:${ntohs(addr.sin_port)}`;
    trace?.(`[chat] FD_ACCEPT: accepted socket ${sock} from ${address}`);
    onAccept({ sock, address });
  }
}
