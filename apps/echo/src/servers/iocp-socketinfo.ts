// SOCKETINFO of the textbook IOCP echo server, shared by its main thread (iocp.ts) and its worker
// threads (iocp-worker.ts). In C it is a heap struct that begins with its OVERLAPPED, and a worker
// casts GetQueuedCompletionStatus's lpOverlapped back to SOCKETINFO*. Threads here are worker_threads,
// so the struct lives in an IoArena (shared memory, C layout) that the main thread creates and each
// worker opens: any thread that dequeues a completion gets its own object for the same bytes.
import { OVERLAPPED_RECORD, SIZEOF, WSABUF } from '@winsock-models/iocp';

// 64 KiB instead of the textbook's 512, as every port here: one receive takes what one send of the
// stream benchmark gives (16 KiB took four receives and four sends, each a packet through the port).
// 2,048 records reserve 128 MiB of shared memory; a page is only committed once a client uses it
// (IoArena zeroes a record when it is allocated), so 1,000 clients touch what 1,000 of the other
// servers' 64 KiB buffers do.
export const BUFSIZE = 64 * 1024;
// The most clients served at once: `new SOCKETINFO` fails (the client is closed) past it.
export const MAX_CLIENTS = 2048;

// 소켓 정보 저장을 위한 구조체: OVERLAPPED first, then sock, recvbytes, sendbytes, a live flag
// (the shutdown's bookkeeping, not in C) and buf. wsabuf points into buf: a JavaScript object per
// thread, since a view cannot be shared.
export class SOCKETINFO extends OVERLAPPED_RECORD {
  static override readonly [SIZEOF] = 32 + 16 + BUFSIZE + 1;
  readonly buf = this.bytes(48, BUFSIZE + 1);
  readonly wsabuf = new WSABUF();
  get sock(): number { return this.i32(32); }
  set sock(v: number) { this.setI32(32, v); }
  get recvbytes(): number { return this.i32(36); }
  set recvbytes(v: number) { this.setI32(36, v); }
  get sendbytes(): number { return this.i32(40); }
  set sendbytes(v: number) { this.setI32(40, v); }
  get live(): number { return this.i32(44); }
  set live(v: number) { this.setI32(44, v); }
}

/** What each worker thread is given (workerData). */
export interface IocpWorkerData {
  hcp: number;
  arena: import('@winsock-models/iocp').IoArenaShared;
  trace: boolean;
}
