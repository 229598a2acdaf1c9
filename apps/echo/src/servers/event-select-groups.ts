// WSAEventSelect past 64 sockets. One WSAWaitForMultipleEvents call watches at most
// WSA_MAXIMUM_WAIT_EVENTS (64) events, so a C server runs one thread per group of 64; here each group is
// one async wait loop, and the loops run concurrently on the event loop (a wait never blocks it).
//
// The acceptor loop waits on [its wake event, the listening socket's event]. Each accepted socket joins
// the group with the fewest sockets that still has room (or a new group), registered with
// FD_READ|FD_WRITE|FD_CLOSE on its own event. A group's arrays start with the group's wake event at
// index 0, set when a socket is added, so a loop parked on the old count re-waits with the new one
// (the C version signals the group thread the same way). Per socket the echo logic is the classic
// program's: recv on FD_READ when nothing is pending, send what is pending, cleanup on FD_CLOSE.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, getsockname,
  inet_pton, ntohs, htons, sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, SOMAXCONN,
  FALSE, WSAGetLastError, wsaErrorMessage, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent,
  WSAWaitForMultipleEvents, WSA_INVALID_EVENT, WSA_MAXIMUM_WAIT_EVENTS, WSA_WAIT_EVENT_0, WSA_WAIT_FAILED,
  WSA_INFINITE, WSAEWOULDBLOCK, WSAEventSelect, WSAEnumNetworkEvents, WSANETWORKEVENTS, FD_ACCEPT, FD_READ,
  FD_WRITE, FD_CLOSE, FD_ACCEPT_BIT, FD_READ_BIT, FD_WRITE_BIT, FD_CLOSE_BIT, ioctlsocket, FIONREAD, type SOCKET, type WSAEVENT,
} from '@winsock-models/event-select';
import type { EchoServer } from '../server.js';
import { plus } from './pointer.js';

// 64 KiB instead of the textbook's 512, as in the other ports: one recv takes what one send of the
// stream benchmark gives.
const BUFSIZE = 64 * 1024;
const INVALID = -1;  // the wake event's slot in SocketInfoArray: no socket

interface SOCKETINFO {
  sock: SOCKET;
  buf: Buffer;
  recvbytes: number;
  sendbytes: number;
  /** An FD_READ was consumed while bytes were unsent; receive once they are (see the FD_WRITE note). */
  recvpending: boolean;
  closing: boolean;  // FD_CLOSE came while data was unread or unsent (not in the textbook program)
}

/** One "thread": up to 63 sockets plus its wake event at index 0. */
interface Group {
  id: number;
  nTotalSockets: number;  // entries used in both arrays, the wake event included
  SocketInfoArray: (SOCKETINFO | typeof INVALID)[];
  EventArray: WSAEVENT[];
  done: Promise<void>;
}

/** Everything received was echoed and nothing more waits to be read (closing, not in the textbook). */
function drained(ptr: SOCKETINFO): boolean {
  const unread = { value: 0 };
  ioctlsocket(ptr.sock, FIONREAD, unread);
  return ptr.recvbytes <= ptr.sendbytes && unread.value === 0;
}

const serve: EchoServer = async ({ host, port, onListening, signal, trace }) => {
  const err_quit = (msg: string): never => { throw new Error(`${msg} ${wsaErrorMessage(WSAGetLastError())}`); };
  const err_display = (what: string | number) =>
    trace?.(typeof what === 'number' ? `[event-select-groups] error ${wsaErrorMessage(what)}`
      : `[event-select-groups] ${what} ${wsaErrorMessage(WSAGetLastError())}`);

  const groups: Group[] = [];
  let stopping = false;  // set by the abort signal, or when the acceptor fails

  function RemoveSocketInfo(g: Group, nIndex: number): void {
    const ptr = g.SocketInfoArray[nIndex] as SOCKETINFO;
    closesocket(ptr.sock);
    WSACloseEvent(g.EventArray[nIndex]!);
    if (nIndex !== g.nTotalSockets - 1) {
      g.SocketInfoArray[nIndex] = g.SocketInfoArray[g.nTotalSockets - 1]!;
      g.EventArray[nIndex] = g.EventArray[g.nTotalSockets - 1]!;
    }
    --g.nTotalSockets;
  }

  // The group loop: the classic program's FD_READ/FD_WRITE/FD_CLOSE handling over this group's arrays.
  async function RunGroup(g: Group): Promise<void> {
    const NetworkEvents = new WSANETWORKEVENTS();
    let retval: number;
    while (true) {
      let i = await WSAWaitForMultipleEvents(g.nTotalSockets, g.EventArray, FALSE, WSA_INFINITE, FALSE);
      if (signal.aborted || stopping) break;
      if (i === WSA_WAIT_FAILED) continue;
      i -= WSA_WAIT_EVENT_0;
      if (i === 0) {
        // The wake event: a socket was added (wait again over the new count) or the server stops.
        WSAResetEvent(g.EventArray[0]!);
        continue;
      }

      retval = WSAEnumNetworkEvents((g.SocketInfoArray[i] as SOCKETINFO).sock, g.EventArray[i]!, NetworkEvents);
      if (retval === SOCKET_ERROR) continue;
      // (Not in the textbook program.) Windows records FD_CLOSE while data is still unread, and the
      // program closes on FD_CLOSE: a peer that sends and shuts down at once would get a reset instead of
      // its echo. A graceful FD_CLOSE marks the socket closing; it closes once everything is echoed.
      if (NetworkEvents.lNetworkEvents & FD_CLOSE && NetworkEvents.iErrorCode[FD_CLOSE_BIT] === 0) (g.SocketInfoArray[i] as SOCKETINFO).closing = true;

      if (NetworkEvents.lNetworkEvents & FD_READ || NetworkEvents.lNetworkEvents & FD_WRITE || (g.SocketInfoArray[i] as SOCKETINFO).recvpending) {
        if (NetworkEvents.lNetworkEvents & FD_READ && NetworkEvents.iErrorCode[FD_READ_BIT] !== 0) {
          err_display(NetworkEvents.iErrorCode[FD_READ_BIT]!);
          continue;
        }
        if (NetworkEvents.lNetworkEvents & FD_WRITE && NetworkEvents.iErrorCode[FD_WRITE_BIT] !== 0) {
          err_display(NetworkEvents.iErrorCode[FD_WRITE_BIT]!);
          continue;
        }
        const ptr = g.SocketInfoArray[i] as SOCKETINFO;
        const received = ptr.recvbytes === 0;
        if (ptr.recvbytes === 0) {
          ptr.recvpending = false;
          retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
          if (retval === SOCKET_ERROR) {
            if (WSAGetLastError() !== WSAEWOULDBLOCK) {
              err_display('recv()');
              RemoveSocketInfo(g, i);
            }
            continue;
          }
          ptr.recvbytes = retval;
        }
        if (ptr.recvbytes > ptr.sendbytes) {
          retval = send(ptr.sock, plus(ptr.buf, ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
          if (retval === SOCKET_ERROR) {
            if (WSAGetLastError() !== WSAEWOULDBLOCK) {
              err_display('send()');
              RemoveSocketInfo(g, i);
            }
            continue;
          }
          ptr.sendbytes += retval;
          if (ptr.recvbytes === ptr.sendbytes) {
            ptr.recvbytes = ptr.sendbytes = 0;
            // As in event-select.ts: after the FD_WRITE that drained a blocked send, recv once more,
            // since the FD_READ consumed meanwhile is re-enabled only by recv.
            if (!received) {
              ptr.recvpending = true;
              WSASetEvent(g.EventArray[i]!);
            }
          }
        }
      }

      if (NetworkEvents.lNetworkEvents & FD_CLOSE && NetworkEvents.iErrorCode[FD_CLOSE_BIT] !== 0) {
        err_display(NetworkEvents.iErrorCode[FD_CLOSE_BIT]!);
        RemoveSocketInfo(g, i);
      } else if ((g.SocketInfoArray[i] as SOCKETINFO | null)?.closing && drained(g.SocketInfoArray[i] as SOCKETINFO)) {
        RemoveSocketInfo(g, i);
      }
    }
    // Stopping: this group's sockets and its wake event.
    while (g.nTotalSockets > 1) RemoveSocketInfo(g, g.nTotalSockets - 1);
    WSACloseEvent(g.EventArray[0]!);
  }

  function NewGroup(): Group {
    const wake = WSACreateEvent();
    if (wake === WSA_INVALID_EVENT) err_quit('WSACreateEvent()');
    const g: Group = {
      id: groups.length,
      nTotalSockets: 1,
      SocketInfoArray: [INVALID],
      EventArray: [wake],
      done: Promise.resolve(),
    };
    groups.push(g);
    g.done = RunGroup(g);
    trace?.(`[event-select-groups] group ${g.id} started`);
    return g;
  }

  // Adds an accepted socket to the emptiest group with room; false when its event cannot be made.
  function AddSocketInfo(sock: SOCKET): boolean {
    let g: Group | undefined;
    for (const candidate of groups)
      if (candidate.nTotalSockets < WSA_MAXIMUM_WAIT_EVENTS && (!g || candidate.nTotalSockets < g.nTotalSockets)) g = candidate;
    g ??= NewGroup();
    const hEvent = WSACreateEvent();
    if (hEvent === WSA_INVALID_EVENT) {
      err_display('WSACreateEvent()');
      return false;
    }
    const n = g.nTotalSockets;
    g.SocketInfoArray[n] = { sock, buf: Buffer.alloc(BUFSIZE + 1), recvbytes: 0, sendbytes: 0, recvpending: false, closing: false };
    g.EventArray[n] = hEvent;
    if (WSAEventSelect(sock, hEvent, FD_READ | FD_WRITE | FD_CLOSE) === SOCKET_ERROR) err_quit('WSAEventSelect()');
    ++g.nTotalSockets;
    WSASetEvent(g.EventArray[0]!);  // the group's loop re-waits over the new count
    return true;
  }

  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup()');
  const acceptorWake = WSACreateEvent();
  const listenEvent = WSACreateEvent();
  let listen_sock: SOCKET = INVALID_SOCKET;
  try {
    listen_sock = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_sock === INVALID_SOCKET) err_quit('socket()');
    const serveraddr = new SOCKADDR_IN();
    serveraddr.sin_family = AF_INET;
    inet_pton(AF_INET, host, serveraddr.sin_addr);
    serveraddr.sin_port = htons(port);
    if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
    if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) err_quit('listen()');
    if (WSAEventSelect(listen_sock, listenEvent, FD_ACCEPT | FD_CLOSE) === SOCKET_ERROR) err_quit('WSAEventSelect()');
    const bound = { value: sizeof(serveraddr) };
    getsockname(listen_sock, serveraddr, bound);
    onListening(ntohs(serveraddr.sin_port));

    const stop = () => {
      WSASetEvent(acceptorWake);
      for (const g of groups) WSASetEvent(g.EventArray[0]!);
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });

    // The acceptor: accepts on FD_ACCEPT and hands each socket to a group.
    const AcceptorEvents: WSAEVENT[] = [acceptorWake, listenEvent];
    const NetworkEvents = new WSANETWORKEVENTS();
    const clientaddr = new SOCKADDR_IN();
    while (true) {
      const i = await WSAWaitForMultipleEvents(2, AcceptorEvents, FALSE, WSA_INFINITE, FALSE);
      if (signal.aborted) break;
      if (i !== WSA_WAIT_EVENT_0 + 1) continue;
      if (WSAEnumNetworkEvents(listen_sock, listenEvent, NetworkEvents) === SOCKET_ERROR) continue;
      if (!(NetworkEvents.lNetworkEvents & FD_ACCEPT)) continue;
      if (NetworkEvents.iErrorCode[FD_ACCEPT_BIT] !== 0) {
        err_display(NetworkEvents.iErrorCode[FD_ACCEPT_BIT]!);
        continue;
      }
      // accept re-enables FD_ACCEPT: with more connections queued it is recorded again at once.
      const addrlen = { value: sizeof(clientaddr) };
      const client_sock = accept(listen_sock, clientaddr, addrlen);
      if (client_sock === INVALID_SOCKET) {
        err_display('accept()');
        continue;
      }
      if (!AddSocketInfo(client_sock)) closesocket(client_sock);
    }
  } finally {
    stopping = true;
    for (const g of groups) WSASetEvent(g.EventArray[0]!);
    await Promise.all(groups.map((g) => g.done));
    if (listen_sock !== INVALID_SOCKET) closesocket(listen_sock);
    WSACloseEvent(listenEvent);
    WSACloseEvent(acceptorWake);
    WSACleanup();
  }
};

export default serve;
