// The classic WSAEventSelect echo server, ported line for line from the C textbook program: one event
// object per socket, parallel socket/event arrays of at most WSA_MAXIMUM_WAIT_EVENTS (64),
// WSAWaitForMultipleEvents over them, WSAEnumNetworkEvents on the signalled one, accept on FD_ACCEPT,
// recv/send on FD_READ/FD_WRITE with per-socket recvbytes/sendbytes, cleanup on FD_CLOSE.
// Differences from the C program, each for the EchoServer contract: host/port come from options, the
// prints go to `trace`, err_quit throws, and the abort signal sets the listening socket's event so the
// loop wakes, sees `signal.aborted`, and closes everything.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, getsockname,
  inet_pton, inet_ntop, ntohs, htons, sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR,
  SOMAXCONN, FALSE, WSAGetLastError, wsaErrorMessage, WSACreateEvent, WSACloseEvent, WSASetEvent,
  WSAWaitForMultipleEvents, WSA_INVALID_EVENT, WSA_MAXIMUM_WAIT_EVENTS, WSA_WAIT_EVENT_0, WSA_WAIT_FAILED,
  WSA_INFINITE, WSAEWOULDBLOCK, WSAEventSelect, WSAEnumNetworkEvents, WSANETWORKEVENTS, FD_ACCEPT, FD_READ,
  FD_WRITE, FD_CLOSE, FD_ACCEPT_BIT, FD_READ_BIT, FD_WRITE_BIT, FD_CLOSE_BIT, ioctlsocket, FIONREAD, type SOCKET, type WSAEVENT,
} from '@winsock-models/event-select';
import type { EchoServer } from '../server.js';
import { plus } from './pointer.js';

// 64 KiB instead of the textbook's 512, as in the other ports: one recv takes what one send of the
// stream benchmark gives.
const BUFSIZE = 64 * 1024;

const NAMES = ['FD_READ', 'FD_WRITE', 'FD_OOB', 'FD_ACCEPT', 'FD_CONNECT', 'FD_CLOSE'];
/** "FD_READ|FD_CLOSE(10053)": the enumerated events in Winsock terms, for the trace. */
function describe(ne: WSANETWORKEVENTS): string {
  const parts = NAMES.flatMap((name, bit) => (ne.lNetworkEvents & (1 << bit)
    ? [ne.iErrorCode[bit] ? `${name}(${ne.iErrorCode[bit]})` : name] : []));
  return parts.join('|') || '(none)';
}

// 소켓 정보 저장을 위한 구조체
interface SOCKETINFO {
  sock: SOCKET;
  buf: Buffer;
  recvbytes: number;
  sendbytes: number;
  /** An FD_READ was consumed while bytes were unsent; receive once they are (see the FD_WRITE note). */
  recvpending: boolean;
  closing: boolean;  // FD_CLOSE came while data was unread or unsent (not in the textbook program)
}

/** Everything received was echoed and nothing more waits to be read (closing, not in the textbook). */
function drained(ptr: SOCKETINFO): boolean {
  const unread = { value: 0 };
  ioctlsocket(ptr.sock, FIONREAD, unread);
  return ptr.recvbytes <= ptr.sendbytes && unread.value === 0;
}

const serve: EchoServer = async ({ host, port, onListening, signal, trace }) => {
  let nTotalSockets = 0;
  const SocketInfoArray: SOCKETINFO[] = new Array(WSA_MAXIMUM_WAIT_EVENTS);
  const EventArray: WSAEVENT[] = new Array(WSA_MAXIMUM_WAIT_EVENTS).fill(WSA_INVALID_EVENT);

  const err_quit = (msg: string): never => { throw new Error(`${msg} ${wsaErrorMessage(WSAGetLastError())}`); };
  const err_display = (what: string | number) =>
    trace?.(typeof what === 'number' ? `[event-select] error ${wsaErrorMessage(what)}` : `[event-select] ${what} ${wsaErrorMessage(WSAGetLastError())}`);

  // 소켓 정보 추가
  function AddSocketInfo(sock: SOCKET): boolean {
    const ptr: SOCKETINFO = { sock, buf: Buffer.alloc(BUFSIZE + 1), recvbytes: 0, sendbytes: 0, recvpending: false, closing: false };
    const hEvent = WSACreateEvent();
    if (hEvent === WSA_INVALID_EVENT) {
      err_display('WSACreateEvent()');
      return false;
    }
    SocketInfoArray[nTotalSockets] = ptr;
    EventArray[nTotalSockets] = hEvent;
    ++nTotalSockets;
    return true;
  }

  // 소켓 정보 삭제
  function RemoveSocketInfo(nIndex: number): void {
    const ptr = SocketInfoArray[nIndex]!;
    trace?.(`[event-select] socket ${ptr.sock} closed`);
    closesocket(ptr.sock);
    WSACloseEvent(EventArray[nIndex]!);
    if (nIndex !== nTotalSockets - 1) {
      SocketInfoArray[nIndex] = SocketInfoArray[nTotalSockets - 1]!;
      EventArray[nIndex] = EventArray[nTotalSockets - 1]!;
    }
    --nTotalSockets;
  }

  // 윈속 초기화
  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup()');
  try {
    // socket()
    const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_sock === INVALID_SOCKET) err_quit('socket()');

    // bind()
    const serveraddr = new SOCKADDR_IN();
    serveraddr.sin_family = AF_INET;
    inet_pton(AF_INET, host, serveraddr.sin_addr);
    serveraddr.sin_port = htons(port);
    let retval = bind(listen_sock, serveraddr, sizeof(serveraddr));
    if (retval === SOCKET_ERROR) err_quit('bind()');

    // listen()
    retval = listen(listen_sock, SOMAXCONN);
    if (retval === SOCKET_ERROR) err_quit('listen()');

    // 소켓 정보 추가 & WSAEventSelect()
    AddSocketInfo(listen_sock);
    retval = WSAEventSelect(listen_sock, EventArray[nTotalSockets - 1]!, FD_ACCEPT | FD_CLOSE);
    if (retval === SOCKET_ERROR) err_quit('WSAEventSelect()');

    const bound = { value: sizeof(serveraddr) };
    getsockname(listen_sock, serveraddr, bound);
    onListening(ntohs(serveraddr.sin_port));
    // The stop request wakes the wait through the listening socket's event (index 0, never removed).
    const stop = () => { WSASetEvent(EventArray[0]!); };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });

    // 데이터 통신에 사용할 변수
    const NetworkEvents = new WSANETWORKEVENTS();
    let client_sock: SOCKET;
    const clientaddr = new SOCKADDR_IN();
    let i: number;

    while (true) {
      // 이벤트 객체 관찰하기
      i = await WSAWaitForMultipleEvents(nTotalSockets, EventArray, FALSE, WSA_INFINITE, FALSE);
      if (signal.aborted) break;
      if (i === WSA_WAIT_FAILED) continue;
      i -= WSA_WAIT_EVENT_0;

      // 구체적인 네트워크 이벤트 알아내기
      retval = WSAEnumNetworkEvents(SocketInfoArray[i]!.sock, EventArray[i]!, NetworkEvents);
      if (retval === SOCKET_ERROR) continue;
      // (Not in the textbook program.) Windows records FD_CLOSE while data is still unread, and the
      // program closes on FD_CLOSE: a peer that sends and shuts down at once would get a reset instead of
      // its echo. A graceful FD_CLOSE marks the socket closing; it closes once everything is echoed.
      if (NetworkEvents.lNetworkEvents & FD_CLOSE && NetworkEvents.iErrorCode[FD_CLOSE_BIT] === 0) SocketInfoArray[i]!.closing = true;
      trace?.(`[event-select] event ${i} signalled: socket ${SocketInfoArray[i]!.sock} ${describe(NetworkEvents)}`);

      // FD_ACCEPT 이벤트 처리
      if (NetworkEvents.lNetworkEvents & FD_ACCEPT) {
        if (NetworkEvents.iErrorCode[FD_ACCEPT_BIT] !== 0) {
          err_display(NetworkEvents.iErrorCode[FD_ACCEPT_BIT]!);
          continue;
        }

        const addrlen = { value: sizeof(clientaddr) };
        client_sock = accept(SocketInfoArray[i]!.sock, clientaddr, addrlen);
        if (client_sock === INVALID_SOCKET) {
          err_display('accept()');
          continue;
        }
        trace?.(`[event-select] client connected: ${inet_ntop(AF_INET, clientaddr.sin_addr)}:${ntohs(clientaddr.sin_port)}`);

        if (nTotalSockets >= WSA_MAXIMUM_WAIT_EVENTS) {
          trace?.('[event-select] [error] no more connections can be accepted');
          closesocket(client_sock);
          continue;
        }

        // 소켓 정보 추가 & WSAEventSelect()
        AddSocketInfo(client_sock);
        retval = WSAEventSelect(client_sock, EventArray[nTotalSockets - 1]!, FD_READ | FD_WRITE | FD_CLOSE);
        if (retval === SOCKET_ERROR) err_quit('WSAEventSelect()');
      }

      // FD_READ & FD_WRITE 이벤트 처리
      if (NetworkEvents.lNetworkEvents & FD_READ || NetworkEvents.lNetworkEvents & FD_WRITE || SocketInfoArray[i]!.recvpending) {
        if (NetworkEvents.lNetworkEvents & FD_READ && NetworkEvents.iErrorCode[FD_READ_BIT] !== 0) {
          err_display(NetworkEvents.iErrorCode[FD_READ_BIT]!);
          continue;
        }
        if (NetworkEvents.lNetworkEvents & FD_WRITE && NetworkEvents.iErrorCode[FD_WRITE_BIT] !== 0) {
          err_display(NetworkEvents.iErrorCode[FD_WRITE_BIT]!);
          continue;
        }

        const ptr = SocketInfoArray[i]!;
        const received = ptr.recvbytes === 0;

        if (ptr.recvbytes === 0) {

          ptr.recvpending = false;
          // 데이터 받기
          retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
          if (retval === SOCKET_ERROR) {
            if (WSAGetLastError() !== WSAEWOULDBLOCK) {
              err_display('recv()');
              RemoveSocketInfo(i);
            }
            continue;
          }
          ptr.recvbytes = retval;
          trace?.(`[event-select] socket ${ptr.sock}: received ${retval} bytes`);
        }

        if (ptr.recvbytes > ptr.sendbytes) {
          // 데이터 보내기
          retval = send(ptr.sock, plus(ptr.buf, ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
          if (retval === SOCKET_ERROR) {
            if (WSAGetLastError() !== WSAEWOULDBLOCK) {
              err_display('send()');
              RemoveSocketInfo(i);
            }
            continue;
          }
          ptr.sendbytes += retval;
          // 받은 데이터를 모두 보냈는지 체크
          if (ptr.recvbytes === ptr.sendbytes) {
            ptr.recvbytes = ptr.sendbytes = 0;
            // Not in the textbook program, which stalls on a burst: an FD_READ that arrived while bytes
            // were unsent was consumed without a recv, and only recv re-enables FD_READ. When this pass
            // did not recv (it was the FD_WRITE after WSAEWOULDBLOCK), wake this socket's slot once more
            // so the next pass calls recv (WSAEWOULDBLOCK if nothing waits, re-enabling FD_READ).
            if (!received) {
              ptr.recvpending = true;
              WSASetEvent(EventArray[i]!);
            }
          }
        }
      }

      // FD_CLOSE 이벤트 처리
      if (NetworkEvents.lNetworkEvents & FD_CLOSE && NetworkEvents.iErrorCode[FD_CLOSE_BIT] !== 0) {
        err_display(NetworkEvents.iErrorCode[FD_CLOSE_BIT]!);
        RemoveSocketInfo(i);
      } else if (SocketInfoArray[i]?.closing && drained(SocketInfoArray[i]!)) {
        RemoveSocketInfo(i);
      }
    }
  } finally {
    // 종료: every socket and event this server opened.
    while (nTotalSockets > 0) RemoveSocketInfo(nTotalSockets - 1);
    // 윈속 종료
    WSACleanup();
  }
};

export default serve;
