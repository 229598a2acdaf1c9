// The textbook IOCP echo server, in one file: the main thread creates the completion port and
// 2 x CPUs worker threads (this same file, run as worker_threads), then accepts clients, associates
// each with the port (its key is the socket) and issues its first WSARecv. The workers loop on GetQueuedCompletionStatus, echo, and issue the next WSARecv/WSASend.
// SOCKETINFO lives in an IoArena, so whichever worker dequeues a completion gets its SOCKETINFO.
// The C main thread blocks in accept(); here it accepts with AcceptEx and an event it awaits, so its
// event loop stays free: a thread blocked in a call does not take part in its loop (a socket a worker
// closes is only let go by the main thread's loop, since the main thread issued its first WSARecv).
// Run: pnpm example iocp echo-server [port]   (port 9000 by default; 0 picks a free one)
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, listen, closesocket, AcceptEx, WSACreateEvent, WSAResetEvent,
  WSAWaitForMultipleEvents, WSA_INFINITE, SOCKADDR_IN, AF_INET, SOCK_STREAM,
  INADDR_ANY, htonl, htons, ntohs, inet_ntop, sizeof, getsockname, SOMAXCONN, SOCKET_ERROR, INVALID_SOCKET, FALSE,
  WSAGetLastError, wsaErrorName, WSA_IO_PENDING, WSAOVERLAPPED, WSABUF, WSARecv, WSASend, WSAGetOverlappedResult,
  ZeroMemory, CreateIoCompletionPort, GetQueuedCompletionStatus, IoArena, OVERLAPPED_RECORD, SIZEOF, INFINITE,
  INVALID_HANDLE_VALUE, type IoArenaShared, type LPOVERLAPPED,
} from '@winsock-models/iocp';

const BUFSIZE = 512;

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}

// 소켓 정보 저장을 위한 구조체: in shared memory, C's layout — OVERLAPPED first, then sock, recvbytes,
// sendbytes and buf. wsabuf points into buf: one JavaScript object per thread.
class SOCKETINFO extends OVERLAPPED_RECORD {
  static override readonly [SIZEOF] = 32 + 12 + BUFSIZE;
  readonly buf = this.bytes(44, BUFSIZE);
  readonly wsabuf = new WSABUF();
  get sock(): number { return this.i32(32); }
  set sock(v: number) { this.setI32(32, v); }
  get recvbytes(): number { return this.i32(36); }
  set recvbytes(v: number) { this.setI32(36, v); }
  get sendbytes(): number { return this.i32(40); }
  set sendbytes(v: number) { this.setI32(40, v); }
}

// 작업자 스레드 함수
async function WorkerThread(hcp: number, arena: IoArena<SOCKETINFO>): Promise<void> {
  while (true) {
    // 비동기 입출력 완료 기다리기
    const cbTransferred = { value: 0 }, client_sock = { value: 0 }, lpOverlapped = { value: null as LPOVERLAPPED | null };
    const retval = await GetQueuedCompletionStatus(hcp, cbTransferred, client_sock, lpOverlapped, INFINITE);
    const ptr = lpOverlapped.value as SOCKETINFO;

    // 비동기 입출력 결과 확인
    if (retval === 0 || cbTransferred.value === 0) {
      if (retval === 0) WSAGetOverlappedResult(ptr.sock, ptr, { value: 0 }, FALSE, { value: 0 });
      closesocket(ptr.sock);
      arena.free(ptr);  // delete ptr;
      continue;
    }

    // 데이터 전송량 갱신
    if (ptr.recvbytes === 0) { ptr.recvbytes = cbTransferred.value; ptr.sendbytes = 0; }
    else ptr.sendbytes += cbTransferred.value;

    ZeroMemory(ptr, sizeof(WSAOVERLAPPED));  // a fresh OVERLAPPED for the next request
    let r: number;
    if (ptr.recvbytes > ptr.sendbytes) {      // 데이터 보내기
      ptr.wsabuf.buf = ptr.buf.subarray(ptr.sendbytes);
      ptr.wsabuf.len = ptr.recvbytes - ptr.sendbytes;
      r = WSASend(ptr.sock, ptr.wsabuf, 1, { value: 0 }, 0, ptr, null);
    } else {                                  // 데이터 받기
      ptr.recvbytes = 0;
      ptr.wsabuf.buf = ptr.buf;
      ptr.wsabuf.len = BUFSIZE;
      r = WSARecv(ptr.sock, ptr.wsabuf, 1, { value: 0 }, { value: 0 }, ptr, null);
    }
    if (r === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) { closesocket(ptr.sock); arena.free(ptr); }
  }
}

// This file, run again as each worker (its CommonJS build has __filename; its ES module build import.meta).
const thisFile = (): string | URL => (typeof __filename === 'string' ? __filename : new URL(import.meta.url));

const ADDRLEN = 16 + 16;  // sizeof(SOCKADDR_IN) + 16, as AcceptEx requires

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  // 입출력 완료 포트 생성
  const hcp = CreateIoCompletionPort(INVALID_HANDLE_VALUE, null, 0, 0);
  const arena = IoArena.create(SOCKETINFO, 1024);
  // socket(), bind(), listen()
  const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) err_quit('listen()');
  getsockname(listen_sock, serveraddr, { value: sizeof(serveraddr) });
  // (CPU 개수 * 2)개의 작업자 스레드 생성
  for (let i = 0; i < availableParallelism() * 2; i++) {
    new Worker(thisFile(), { workerData: { hcp, arena: arena.shared } }).unref();
  }
  console.log(`[iocp] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const hAcceptEvent = WSACreateEvent();
  const acceptbuf = Buffer.alloc(2 * ADDRLEN);
  const acceptov = new WSAOVERLAPPED();
  while (true) {
    // accept(): AcceptEx on a fresh socket, completed through hAcceptEvent (the listener is not on the port)
    const client_sock = socket(AF_INET, SOCK_STREAM, 0);
    ZeroMemory(acceptov, sizeof(acceptov));
    acceptov.hEvent = hAcceptEvent;
    if (AcceptEx(listen_sock, client_sock, acceptbuf, 0, ADDRLEN, ADDRLEN, null, acceptov) === FALSE &&
        WSAGetLastError() !== WSA_IO_PENDING) err_quit('AcceptEx()');
    await WSAWaitForMultipleEvents(1, [hAcceptEvent], FALSE, WSA_INFINITE, FALSE);
    WSAResetEvent(hAcceptEvent);
    if (WSAGetOverlappedResult(listen_sock, acceptov, { value: 0 }, FALSE, { value: 0 }) === FALSE) {
      closesocket(client_sock);
      continue;
    }
    // 소켓과 입출력 완료 포트 연결
    CreateIoCompletionPort(client_sock, hcp, client_sock, 0);
    // 소켓 정보 구조체 할당과 초기화
    const ptr = arena.alloc();
    if (ptr === null) { closesocket(client_sock); continue; }
    ptr.sock = client_sock;
    ptr.wsabuf.buf = ptr.buf;
    ptr.wsabuf.len = BUFSIZE;
    // 비동기 입출력 시작
    const r = WSARecv(client_sock, ptr.wsabuf, 1, { value: 0 }, { value: 0 }, ptr, null);
    if (r === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) { closesocket(client_sock); arena.free(ptr); }
  }
}

if (isMainThread) {
  main().catch((err) => { console.error(String(err)); process.exit(1); });
} else {
  WSAStartup(MAKEWORD(2, 2), new WSADATA());
  const { hcp, arena } = workerData as { hcp: number; arena: IoArenaShared };
  WorkerThread(hcp, IoArena.open(arena, SOCKETINFO)).catch((err) => { console.error(String(err)); process.exit(1); });
}
