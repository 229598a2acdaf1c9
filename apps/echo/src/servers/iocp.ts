// The textbook IOCP echo server, ported from the C program: the main thread creates the completion
// port and 2 x CPUs worker threads (iocp-worker.ts), then accepts clients, associates each with the
// port (its key is the socket) and issues its first WSARecv; the workers loop on
// GetQueuedCompletionStatus, echo, and re-issue WSARecv/WSASend. SOCKETINFO lives in an IoArena
// (iocp-socketinfo.ts), so whichever worker dequeues a completion gets the request's SOCKETINFO.
// Differences for the EchoServer contract: the C main thread blocks in accept(); one JS realm must keep
// its loop free, so it accepts with AcceptEx and an event (hEvent, the listener is not associated) and
// awaits the event. `workers` overrides the thread count. On abort, one PostQueuedCompletionStatus
// with a NULL lpOverlapped per worker ends the workers' loops, and the sockets still open are closed.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, closesocket, getsockname, inet_pton, ntohs, htons,
  sizeof, SOCKADDR_IN, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, SOMAXCONN, FALSE, WSAGetLastError,
  wsaErrorMessage, WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents,
  WSA_INFINITE, WSA_IO_PENDING, WSAOVERLAPPED, WSARecv, WSAGetOverlappedResult, AcceptEx, ZeroMemory,
  CreateIoCompletionPort, PostQueuedCompletionStatus, CloseHandle, IoArena, INVALID_HANDLE_VALUE, type SOCKET,
} from '@winsock-models/iocp';
import type { EchoServer } from '../server.js';
import { BUFSIZE, MAX_CLIENTS, SOCKETINFO, type IocpWorkerData } from './iocp-socketinfo.js';

const ADDRLEN = 16 + 16; // sizeof(SOCKADDR_IN) + 16, as AcceptEx requires

// The worker's compiled module: beside this one in dist/, or dist/ itself when this runs from src/
// (the tests); a worker thread runs JavaScript only.
function workerFile(): URL {
  const beside = new URL('./iocp-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../../dist/servers/iocp-worker.js', import.meta.url);
}

const serve: EchoServer = async ({ host, port, onListening, signal, trace, workers }) => {
  const err_quit = (msg: string): never => { throw new Error(`${msg} ${wsaErrorMessage(WSAGetLastError())}`); };
  const err_display = (msg: string) => trace?.(`[iocp] ${msg} ${wsaErrorMessage(WSAGetLastError())}`);

  // 윈속 초기화
  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup()');

  // 입출력 완료 포트 생성
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  if (hcp === 0) err_quit('CreateIoCompletionPort()');
  const arena = IoArena.create(SOCKETINFO, MAX_CLIENTS);
  const allocated = new Set<SOCKETINFO>();

  // (CPU 개수 * 2)개의 작업자 스레드 생성
  const count = workers ?? availableParallelism() * 2;
  const threads: Worker[] = [];
  const finished: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const data: IocpWorkerData = { hcp, arena: arena.shared, trace: trace !== undefined };
    const t = new Worker(workerFile(), { workerData: data });
    finished.push(new Promise((resolve, reject) => {
      t.on('message', (m: { trace?: string; done?: boolean }) => {
        if (m.trace) trace?.(m.trace);
        if (m.done) resolve();
      });
      t.once('error', reject);
      t.once('exit', () => resolve());
    }));
    threads.push(t);
  }

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
      // accept(): AcceptEx, completed through hAcceptEvent
      const client_sock = socket(AF_INET, SOCK_STREAM, 0);
      if (client_sock === INVALID_SOCKET) err_quit('socket()');
      ZeroMemory(acceptov, sizeof(acceptov));
      acceptov.hEvent = hAcceptEvent;
      if (AcceptEx(listen_sock, client_sock, acceptbuf, 0, ADDRLEN, ADDRLEN, null, acceptov) === FALSE &&
          WSAGetLastError() !== WSA_IO_PENDING) err_quit('AcceptEx()');
      await WSAWaitForMultipleEvents(1, [hAcceptEvent], FALSE, WSA_INFINITE, FALSE);
      WSAResetEvent(hAcceptEvent);
      if (signal.aborted) { closesocket(client_sock); break; }
      if (WSAGetOverlappedResult(listen_sock, acceptov, { value: 0 }, FALSE, { value: 0 }) === FALSE) {
        err_display('AcceptEx()');
        closesocket(client_sock);
        continue;
      }
      trace?.(`[iocp] client connected: socket ${client_sock}`);

      // 소켓과 입출력 완료 포트 연결
      CreateIoCompletionPort(client_sock, hcp, client_sock, 0);

      // 소켓 정보 구조체 할당
      const ptr = arena.alloc();
      if (ptr === null) { closesocket(client_sock); continue; }
      allocated.add(ptr);
      ptr.sock = client_sock;
      ptr.recvbytes = ptr.sendbytes = 0;
      ptr.live = 1;
      ptr.wsabuf.buf = ptr.buf;
      ptr.wsabuf.len = BUFSIZE;

      // 비동기 입출력 시작
      const recvbytes = { value: 0 }, flags = { value: 0 };
      retval = WSARecv(client_sock, ptr.wsabuf, 1, recvbytes, flags, ptr, null);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSARecv()');
        closesocket(client_sock);
        ptr.live = 0;
        arena.free(ptr);
      }
    }
  } finally {
    // Stop the workers (one NULL packet each), then close what they left open.
    for (let i = 0; i < threads.length; i++) PostQueuedCompletionStatus(hcp, 0, 0, null);
    await Promise.all(finished);
    await Promise.all(threads.map((t) => t.terminate()));
    for (const ptr of allocated) if (ptr.live) closesocket(ptr.sock);
    CloseHandle(hcp);
    if (listen_sock !== INVALID_SOCKET) closesocket(listen_sock);
    WSACloseEvent(hAcceptEvent);
    WSACleanup();
  }
};

export default serve;
