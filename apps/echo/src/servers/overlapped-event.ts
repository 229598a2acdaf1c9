// The classic Overlapped-model-1 echo server (completion through event objects), ported from the C
// textbook program: per-socket SOCKETINFO with its WSAOVERLAPPED, one event per socket in EventArray,
// WSAWaitForMultipleEvents, WSAResetEvent, WSAGetOverlappedResult, then re-issue WSASend/WSARecv.
// The C program accepts in its main thread with a blocking accept() and wakes the worker thread by
// setting EventArray[0]; one JS realm cannot block, so accepting is overlapped too: AcceptEx with its
// own event, waited by the accept loop. Past 63 clients a new wait group starts, each running the C
// worker-thread loop concurrently (the Node analogue of one thread per 64 events).
// Differences for the EchoServer contract: host/port from options, prints go to `trace`, err_quit
// throws, and abort wakes every loop through its index-0 event.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, closesocket, getsockname, inet_pton, ntohs, htons,
  sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, SOMAXCONN, FALSE, WSAGetLastError,
  wsaErrorMessage, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents,
  WSA_INVALID_EVENT, WSA_MAXIMUM_WAIT_EVENTS, WSA_WAIT_EVENT_0, WSA_WAIT_FAILED, WSA_INFINITE, WSA_IO_PENDING,
  WSAOVERLAPPED, WSABUF, WSARecv, WSASend, WSAGetOverlappedResult, AcceptEx, GetAcceptExSockaddrs, inet_ntop, ZeroMemory,
  type SOCKET, type WSAEVENT,
} from '@winsock-models/overlapped-event';
import type { EchoServer } from '../server.js';
import { plus } from './pointer.js';

// 64 KiB instead of the textbook's 512, as in the select server: one receive takes what one send of the
// stream benchmark gives.
const BUFSIZE = 64 * 1024;
const ADDRLEN = 16 + 16; // sizeof(SOCKADDR_IN) + 16, as AcceptEx requires

// 소켓 정보 저장을 위한 구조체
class SOCKETINFO {
  overlapped = new WSAOVERLAPPED();
  sock: SOCKET = INVALID_SOCKET;
  buf = Buffer.alloc(BUFSIZE + 1);
  recvbytes = 0;
  sendbytes = 0;
  wsabuf = new WSABUF();
}

/** One worker loop's arrays: index 0 is its wake-up event, 1..63 its sockets. */
class WaitGroup {
  nTotalSockets = 1;
  SocketInfoArray: Array<SOCKETINFO | null> = new Array(WSA_MAXIMUM_WAIT_EVENTS).fill(null);
  EventArray: WSAEVENT[] = new Array(WSA_MAXIMUM_WAIT_EVENTS).fill(WSA_INVALID_EVENT);
}

const serve: EchoServer = async ({ host, port, onListening, signal, trace }) => {
  const err_quit = (msg: string): never => { throw new Error(`${msg} ${wsaErrorMessage(WSAGetLastError())}`); };
  const err_display = (msg: string) => trace?.(`[overlapped-event] ${msg} ${wsaErrorMessage(WSAGetLastError())}`);
  const groups: WaitGroup[] = [];
  const workers: Promise<void>[] = [];

  // 소켓 정보 추가
  function AddSocketInfo(g: WaitGroup, sock: SOCKET): SOCKETINFO | null {
    const ptr = new SOCKETINFO();
    const hEvent = WSACreateEvent();
    if (hEvent === WSA_INVALID_EVENT) { err_display('WSACreateEvent()'); return null; }
    ptr.sock = sock;
    ptr.overlapped.hEvent = hEvent;
    g.SocketInfoArray[g.nTotalSockets] = ptr;
    g.EventArray[g.nTotalSockets] = hEvent;
    ++g.nTotalSockets;
    return ptr;
  }

  // 소켓 정보 삭제
  function RemoveSocketInfo(g: WaitGroup, nIndex: number): void {
    const ptr = g.SocketInfoArray[nIndex]!;
    trace?.(`[overlapped-event] socket ${ptr.sock} closed`);
    closesocket(ptr.sock);
    WSACloseEvent(g.EventArray[nIndex]!);
    if (nIndex !== g.nTotalSockets - 1) {
      g.SocketInfoArray[nIndex] = g.SocketInfoArray[g.nTotalSockets - 1]!;
      g.EventArray[nIndex] = g.EventArray[g.nTotalSockets - 1]!;
    }
    g.SocketInfoArray[g.nTotalSockets - 1] = null;
    --g.nTotalSockets;
  }

  // The C WorkerThread, one per group of 63 sockets.
  async function WorkerThread(g: WaitGroup): Promise<void> {
    let retval: number;
    while (true) {
      // 이벤트 객체 관찰
      let i = await WSAWaitForMultipleEvents(g.nTotalSockets, g.EventArray, FALSE, WSA_INFINITE, FALSE);
      if (signal.aborted) return;
      if (i === WSA_WAIT_FAILED) continue;
      i -= WSA_WAIT_EVENT_0;
      WSAResetEvent(g.EventArray[i]!);
      if (i === 0) continue; // a socket was added: wait again over the new array

      // 비동기 입출력 결과 확인
      const ptr = g.SocketInfoArray[i]!;
      const cbTransferred = { value: 0 }, flags = { value: 0 };
      retval = WSAGetOverlappedResult(ptr.sock, ptr.overlapped, cbTransferred, FALSE, flags);
      if (retval === FALSE || cbTransferred.value === 0) {
        if (retval === FALSE) err_display('WSAGetOverlappedResult()');
        RemoveSocketInfo(g, i);
        continue;
      }

      // 데이터 전송량 갱신
      if (ptr.recvbytes === 0) {
        ptr.recvbytes = cbTransferred.value;
        ptr.sendbytes = 0;
        trace?.(`[overlapped-event] socket ${ptr.sock}: WSARecv completed, ${ptr.recvbytes} bytes`);
      } else {
        ptr.sendbytes += cbTransferred.value;
      }

      if (ptr.recvbytes > ptr.sendbytes) {
        // 데이터 보내기
        ZeroMemory(ptr.overlapped, sizeof(ptr.overlapped));
        ptr.overlapped.hEvent = g.EventArray[i]!;
        ptr.wsabuf.buf = plus(ptr.buf, ptr.sendbytes);
        ptr.wsabuf.len = ptr.recvbytes - ptr.sendbytes;
        const sendbytes = { value: 0 };
        retval = WSASend(ptr.sock, ptr.wsabuf, 1, sendbytes, 0, ptr.overlapped, null);
        if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
          err_display('WSASend()');
          RemoveSocketInfo(g, i);
        }
      } else {
        ptr.recvbytes = 0;
        // 데이터 받기
        ZeroMemory(ptr.overlapped, sizeof(ptr.overlapped));
        ptr.overlapped.hEvent = g.EventArray[i]!;
        ptr.wsabuf.buf = ptr.buf;
        ptr.wsabuf.len = BUFSIZE;
        const recvbytes = { value: 0 }, recvflags = { value: 0 };
        retval = WSARecv(ptr.sock, ptr.wsabuf, 1, recvbytes, recvflags, ptr.overlapped, null);
        if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
          err_display('WSARecv()');
          RemoveSocketInfo(g, i);
        }
      }
    }
  }

  function groupWithRoom(): WaitGroup {
    let g = groups.find((x) => x.nTotalSockets < WSA_MAXIMUM_WAIT_EVENTS);
    if (!g) {
      g = new WaitGroup();
      g.EventArray[0] = WSACreateEvent();
      if (g.EventArray[0] === WSA_INVALID_EVENT) err_quit('WSACreateEvent()');
      groups.push(g);
      workers.push(WorkerThread(g));
    }
    return g;
  }

  // 윈속 초기화
  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup()');
  const acceptEvent = WSACreateEvent();
  let listen_sock: SOCKET = INVALID_SOCKET;
  try {
    // socket(), bind(), listen()
    listen_sock = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_sock === INVALID_SOCKET) err_quit('socket()');
    const serveraddr = new SOCKADDR_IN();
    serveraddr.sin_family = AF_INET;
    inet_pton(AF_INET, host, serveraddr.sin_addr);
    serveraddr.sin_port = htons(port);
    let retval = bind(listen_sock, serveraddr, sizeof(serveraddr));
    if (retval === SOCKET_ERROR) err_quit('bind()');
    retval = listen(listen_sock, SOMAXCONN);
    if (retval === SOCKET_ERROR) err_quit('listen()');
    getsockname(listen_sock, serveraddr, { value: sizeof(serveraddr) });
    onListening(ntohs(serveraddr.sin_port));

    const stop = () => { WSASetEvent(acceptEvent); for (const g of groups) WSASetEvent(g.EventArray[0]!); };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });

    // The C main thread's accept loop, overlapped: AcceptEx into a fresh socket, wait for its event.
    const acceptbuf = Buffer.alloc(2 * ADDRLEN);
    while (!signal.aborted) {
      const client_sock = socket(AF_INET, SOCK_STREAM, 0);
      if (client_sock === INVALID_SOCKET) err_quit('socket()');
      const acceptov = new WSAOVERLAPPED();
      acceptov.hEvent = acceptEvent;
      if (AcceptEx(listen_sock, client_sock, acceptbuf, 0, ADDRLEN, ADDRLEN, null, acceptov) === FALSE &&
          WSAGetLastError() !== WSA_IO_PENDING) err_quit('AcceptEx()');
      await WSAWaitForMultipleEvents(1, [acceptEvent], FALSE, WSA_INFINITE, FALSE);
      WSAResetEvent(acceptEvent);
      if (signal.aborted) { closesocket(client_sock); break; }
      if (WSAGetOverlappedResult(listen_sock, acceptov, { value: 0 }, FALSE, { value: 0 }) === FALSE) {
        err_display('AcceptEx()');
        closesocket(client_sock);
        continue;
      }
      const remote = { value: null as SOCKADDR_IN | null }, local = { value: null as SOCKADDR_IN | null };
      GetAcceptExSockaddrs(acceptbuf, 0, ADDRLEN, ADDRLEN, local as never, { value: 0 }, remote as never, { value: 0 });
      trace?.(`[overlapped-event] client connected: ${inet_ntop(AF_INET, remote.value!.sin_addr)}:${ntohs(remote.value!.sin_port)}`);

      // 소켓 정보 추가
      const g = groupWithRoom();
      const ptr = AddSocketInfo(g, client_sock);
      if (ptr === null) { closesocket(client_sock); continue; }

      // 비동기 입출력 시작
      ptr.wsabuf.buf = ptr.buf;
      ptr.wsabuf.len = BUFSIZE;
      const recvbytes = { value: 0 }, flags = { value: 0 };
      retval = WSARecv(ptr.sock, ptr.wsabuf, 1, recvbytes, flags, ptr.overlapped, null);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSARecv()');
        RemoveSocketInfo(g, g.nTotalSockets - 1);
        continue;
      }
      // 소켓의 개수(nTotalSockets) 변화를 알림
      WSASetEvent(g.EventArray[0]!);
    }
  } finally {
    await Promise.all(workers);
    for (const g of groups) {
      while (g.nTotalSockets > 1) RemoveSocketInfo(g, g.nTotalSockets - 1);
      WSACloseEvent(g.EventArray[0]!);
    }
    if (listen_sock !== INVALID_SOCKET) closesocket(listen_sock);
    WSACloseEvent(acceptEvent);
    WSACleanup();
  }
};

export default serve;
