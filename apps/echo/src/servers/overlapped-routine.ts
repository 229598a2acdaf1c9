// The classic Overlapped-model-2 echo server (completion routines), ported from the C textbook
// program: SOCKETINFO begins with its WSAOVERLAPPED, so the routine gets its SOCKETINFO back from
// lpOverlapped; the routine receives, sends and re-issues WSARecv/WSASend; an alertable wait lets the
// routines run. The C program accepts with a blocking accept() in its main thread and hands each
// client to the worker through two events; one JS realm cannot block, so the accept is AcceptEx with an
// event, and the worker's alertable wait, WaitForSingleObjectEx(hWriteEvent, INFINITE, TRUE), waits on
// that event: it returns WAIT_IO_COMPLETION after running routines, or WAIT_OBJECT_0 when a client was
// accepted.
// Differences for the EchoServer contract: host/port from options, prints go to `trace`, err_quit
// throws, and abort sets the accept event so the loop ends.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, closesocket, getsockname, inet_pton, ntohs, htons,
  sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, SOMAXCONN, FALSE, TRUE, WSAGetLastError,
  wsaErrorMessage, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WaitForSingleObjectEx,
  WAIT_OBJECT_0, WAIT_IO_COMPLETION, INFINITE, WSA_IO_PENDING, WSAOVERLAPPED, WSABUF, WSARecv, WSASend,
  WSAGetOverlappedResult, AcceptEx, GetAcceptExSockaddrs, inet_ntop, ZeroMemory, type SOCKET,
} from '@winsock-models/overlapped-routine';
import type { EchoServer } from '../server.js';
import { plus } from './pointer.js';

// 64 KiB instead of the textbook's 512, as in the select server: one receive takes what one send of the
// stream benchmark gives.
const BUFSIZE = 64 * 1024;
const ADDRLEN = 16 + 16; // sizeof(SOCKADDR_IN) + 16, as AcceptEx requires

// 소켓 정보 저장을 위한 구조체: the WSAOVERLAPPED comes first, as in C
class SOCKETINFO extends WSAOVERLAPPED {
  sock: SOCKET = INVALID_SOCKET;
  buf = Buffer.alloc(BUFSIZE + 1);
  recvbytes = 0;
  sendbytes = 0;
  wsabuf = new WSABUF();
}

const serve: EchoServer = async ({ host, port, onListening, signal, trace }) => {
  const err_quit = (msg: string): never => { throw new Error(`${msg} ${wsaErrorMessage(WSAGetLastError())}`); };
  const err_display = (msg: string | number) => trace?.(`[overlapped-routine] ${typeof msg === 'number'
    ? `error ${wsaErrorMessage(msg)}` : `${msg} ${wsaErrorMessage(WSAGetLastError())}`}`);
  const live = new Set<SOCKETINFO>();

  // 비동기 입출력 완료 루틴
  function CompletionRoutine(dwError: number, cbTransferred: number, lpOverlapped: WSAOVERLAPPED, _dwFlags: number): void {
    let retval: number;
    const ptr = lpOverlapped as SOCKETINFO;

    // 비동기 입출력 결과 확인
    if (dwError !== 0 || cbTransferred === 0) {
      if (dwError !== 0) err_display(dwError);
      trace?.(`[overlapped-routine] socket ${ptr.sock} closed`);
      closesocket(ptr.sock);
      live.delete(ptr);
      return;
    }

    // 데이터 전송량 갱신
    if (ptr.recvbytes === 0) {
      ptr.recvbytes = cbTransferred;
      ptr.sendbytes = 0;
      trace?.(`[overlapped-routine] routine ran in an alertable wait: socket ${ptr.sock} received ${cbTransferred} bytes`);
    } else {
      ptr.sendbytes += cbTransferred;
    }

    if (ptr.recvbytes > ptr.sendbytes) {
      // 데이터 보내기
      ZeroMemory(ptr, sizeof(WSAOVERLAPPED));
      ptr.wsabuf.buf = plus(ptr.buf, ptr.sendbytes);
      ptr.wsabuf.len = ptr.recvbytes - ptr.sendbytes;
      const sendbytes = { value: 0 };
      retval = WSASend(ptr.sock, ptr.wsabuf, 1, sendbytes, 0, ptr, CompletionRoutine);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSASend()');
        closesocket(ptr.sock);
        live.delete(ptr);
      }
    } else {
      ptr.recvbytes = 0;
      // 데이터 받기
      ZeroMemory(ptr, sizeof(WSAOVERLAPPED));
      ptr.wsabuf.buf = ptr.buf;
      ptr.wsabuf.len = BUFSIZE;
      const recvbytes = { value: 0 }, flags = { value: 0 };
      retval = WSARecv(ptr.sock, ptr.wsabuf, 1, recvbytes, flags, ptr, CompletionRoutine);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSARecv()');
        closesocket(ptr.sock);
        live.delete(ptr);
      }
    }
  }

  // 윈속 초기화
  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup()');
  const hAcceptEvent = WSACreateEvent();
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

    const stop = () => { WSASetEvent(hAcceptEvent); };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });

    const acceptbuf = Buffer.alloc(2 * ADDRLEN);
    const acceptov = new WSAOVERLAPPED();
    while (!signal.aborted) {
      const client_sock = socket(AF_INET, SOCK_STREAM, 0);
      if (client_sock === INVALID_SOCKET) err_quit('socket()');
      ZeroMemory(acceptov, sizeof(acceptov));
      acceptov.hEvent = hAcceptEvent;
      if (AcceptEx(listen_sock, client_sock, acceptbuf, 0, ADDRLEN, ADDRLEN, null, acceptov) === FALSE &&
          WSAGetLastError() !== WSA_IO_PENDING) err_quit('AcceptEx()');

      // alertable wait: completion routines run here; WAIT_OBJECT_0 means a client was accepted
      while (true) {
        const result = await WaitForSingleObjectEx(hAcceptEvent, INFINITE, TRUE);
        if (result === WAIT_OBJECT_0) break;
        if (result !== WAIT_IO_COMPLETION) err_quit('WaitForSingleObjectEx()');
      }
      WSAResetEvent(hAcceptEvent);
      if (signal.aborted) { closesocket(client_sock); break; }
      if (WSAGetOverlappedResult(listen_sock, acceptov, { value: 0 }, FALSE, { value: 0 }) === FALSE) {
        err_display('AcceptEx()');
        closesocket(client_sock);
        continue;
      }
      const remote = { value: null as SOCKADDR_IN | null }, local = { value: null as SOCKADDR_IN | null };
      GetAcceptExSockaddrs(acceptbuf, 0, ADDRLEN, ADDRLEN, local as never, { value: 0 }, remote as never, { value: 0 });
      trace?.(`[overlapped-routine] client connected: ${inet_ntop(AF_INET, remote.value!.sin_addr)}:${ntohs(remote.value!.sin_port)}`);

      // 소켓 정보 구조체 할당과 초기화
      const ptr = new SOCKETINFO();
      ptr.sock = client_sock;
      ptr.wsabuf.buf = ptr.buf;
      ptr.wsabuf.len = BUFSIZE;
      live.add(ptr);

      // 비동기 입출력 시작
      const recvbytes = { value: 0 }, flags = { value: 0 };
      retval = WSARecv(ptr.sock, ptr.wsabuf, 1, recvbytes, flags, ptr, CompletionRoutine);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSARecv()');
        closesocket(ptr.sock);
        live.delete(ptr);
      }
    }
  } finally {
    for (const ptr of live) closesocket(ptr.sock);
    if (listen_sock !== INVALID_SOCKET) closesocket(listen_sock);
    WSACloseEvent(hAcceptEvent);
    WSACleanup();
  }
};

export default serve;
