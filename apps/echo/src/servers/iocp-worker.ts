// The worker thread of the textbook IOCP echo server (iocp.ts starts 2 x CPUs of them): loops on
// GetQueuedCompletionStatus and re-issues WSARecv/WSASend for whichever client's completion it got.
// Line for line the C WorkerThread, with two additions for the EchoServer contract: a packet with a
// NULL lpOverlapped (PostQueuedCompletionStatus from the main thread) ends the loop, and prints go to
// the main thread's trace.
import { parentPort, workerData } from 'node:worker_threads';
import {
  WSAStartup, WSADATA, MAKEWORD, GetQueuedCompletionStatus, WSAGetOverlappedResult, WSARecv, WSASend, closesocket,
  IoArena, INFINITE, FALSE, SOCKET_ERROR, WSA_IO_PENDING, WSAGetLastError, wsaErrorMessage, ZeroMemory, sizeof,
  WSAOVERLAPPED, type LPOVERLAPPED,
} from '@winsock-models/iocp';
import { BUFSIZE, SOCKETINFO, type IocpWorkerData } from './iocp-socketinfo.js';
import { plus } from './pointer.js';

const { hcp, arena: shared, trace } = workerData as IocpWorkerData;
const arena = IoArena.open(shared, SOCKETINFO);
// printf: undefined without a trace, so `print?.(...)` does not even build the line (as the other
// servers' `trace?.(...)`): the C program formats every line it prints; this one prints nothing.
const print = trace ? (line: string) => { parentPort!.postMessage({ trace: `[iocp] ${line}` }); } : undefined;
const err_display = (msg: string) => print?.(`${msg} ${wsaErrorMessage(WSAGetLastError())}`);
WSAStartup(MAKEWORD(2, 2), new WSADATA());

// 작업자 스레드 함수
async function WorkerThread(): Promise<void> {
  let retval: number;
  // The loop's locals, made once: C declares them inside the loop, on the stack, where they cost
  // nothing; here they are { value } boxes, and a new set per packet only fed the garbage collector.
  const cbTransferred = { value: 0 }, client_sock = { value: 0 }, lpOverlapped = { value: null as LPOVERLAPPED | null };
  const sendbytes = { value: 0 }, recvbytes = { value: 0 }, flags = { value: 0 };
  while (true) {
    // 비동기 입출력 완료 기다리기
    retval = await GetQueuedCompletionStatus(hcp, cbTransferred, client_sock, lpOverlapped, INFINITE);
    const ptr = lpOverlapped.value as SOCKETINFO | null;
    if (ptr === null) break;  // the main thread's stop packet (not in the C program)

    // 비동기 입출력 결과 확인
    if (retval === 0 || cbTransferred.value === 0) {
      if (retval === 0) {
        WSAGetOverlappedResult(ptr.sock, ptr, { value: 0 }, FALSE, { value: 0 });
        err_display('WSAGetOverlappedResult()');
      }
      closesocket(ptr.sock);
      print?.(`socket ${client_sock.value} closed`);
      ptr.live = 0;
      arena.free(ptr);  // delete ptr;
      continue;
    }

    // 데이터 전송량 갱신
    if (ptr.recvbytes === 0) {
      ptr.recvbytes = cbTransferred.value;
      ptr.sendbytes = 0;
      print?.(`socket ${client_sock.value} received ${cbTransferred.value} bytes`);
    } else {
      ptr.sendbytes += cbTransferred.value;
    }

    if (ptr.recvbytes > ptr.sendbytes) {
      // 데이터 보내기
      ZeroMemory(ptr, sizeof(WSAOVERLAPPED));
      ptr.wsabuf.buf = plus(ptr.buf, ptr.sendbytes);
      ptr.wsabuf.len = ptr.recvbytes - ptr.sendbytes;
      retval = WSASend(ptr.sock, ptr.wsabuf, 1, sendbytes, 0, ptr, null);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSASend()');
        closesocket(ptr.sock);  // no packet will come for it (the C program leaks the client here)
        ptr.live = 0;
        arena.free(ptr);
      }
    } else {
      ptr.recvbytes = 0;
      // 데이터 받기
      ZeroMemory(ptr, sizeof(WSAOVERLAPPED));
      ptr.wsabuf.buf = ptr.buf;
      ptr.wsabuf.len = BUFSIZE;
      retval = WSARecv(ptr.sock, ptr.wsabuf, 1, recvbytes, flags, ptr, null);
      if (retval === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
        err_display('WSARecv()');
        closesocket(ptr.sock);  // no packet will come for it (the C program leaks the client here)
        ptr.live = 0;
        arena.free(ptr);
      }
    }
  }
}

await WorkerThread();
parentPort!.postMessage({ done: true });
