// Loads the addon once per realm. The only place where the loaded module becomes NativeBinding: the
// declarations below are exactly what src/native exports, kept apart from the public API.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** A `{ value }` out-parameter, as C's `int *`/`LPDWORD`. */
export interface Box<T = number> {
  value: T;
}

type Mem = Uint8Array | null | undefined;
type OutBox = Box | null | undefined;

export interface NativeBinding {
  // tables_js.cc
  errorTable(): Array<{ name: string; code: number; message: string }>;
  errnoTable(): Array<[errnoName: string, errno: number, wsa: number]>;
  translateErrno(errno: number): number;
  constantTable(): Record<string, number>;
  /** The realm's last error, shared with native code: element 0. */
  lastError: Int32Array;
  // sockets.cc
  WSAStartup(wVersionRequested: number, lpWSAData: object | null): number;
  WSACleanup(): number;
  socket(af: number, type: number, protocol: number): number;
  closesocket(s: number): number;
  bind(s: number, name: Mem, namelen: number): number;
  listen(s: number, backlog: number): number;
  accept(s: number, addr: Mem, addrlen: OutBox): number;
  connect(s: number, name: Mem, namelen: number): number;
  shutdown(s: number, how: number): number;
  send(s: number, buf: Mem, len: number, flags: number): number;
  recv(s: number, buf: Mem, len: number, flags: number): number;
  sendto(s: number, buf: Mem, len: number, flags: number, to: Mem, tolen: number): number;
  recvfrom(s: number, buf: Mem, len: number, flags: number, from: Mem, fromlen: OutBox): number;
  getsockname(s: number, name: Mem, namelen: OutBox): number;
  getpeername(s: number, name: Mem, namelen: OutBox): number;
  ioctlsocket(s: number, cmd: number, argp: OutBox): number;
  setsockopt(s: number, level: number, optname: number, optval: Mem, optlen: number): number;
  getsockopt(s: number, level: number, optname: number, optval: Mem, optlen: OutBox): number;
  inet_pton(family: number, text: string, out: Mem): number;
  inet_ntop(family: number, addr: Mem): string | null;
  // wsabuf.cc
  WSASend(s: number, lpBuffers: unknown, dwBufferCount: number, lpNumberOfBytesSent: OutBox, dwFlags: number): number;
  WSASendTo(s: number, lpBuffers: unknown, dwBufferCount: number, lpNumberOfBytesSent: OutBox, dwFlags: number,
    lpTo: Mem, iTolen: number): number;
  WSARecv(s: number, lpBuffers: unknown, dwBufferCount: number, lpNumberOfBytesRecvd: OutBox, lpFlags: OutBox): number;
  WSARecvFrom(s: number, lpBuffers: unknown, dwBufferCount: number, lpNumberOfBytesRecvd: OutBox, lpFlags: OutBox,
    lpFrom: Mem, lpFromlen: OutBox): number;
  // overlapped.cc. Every overlapped call ends with the WSAOVERLAPPED's 32 bytes of C memory (where
  // hEvent is read and the result written) and its slot in holds.ts, which holds the structure, the
  // routine and any single buffer until the engine gives the slot back. Counts and flags of an
  // operation done at once come back in overlappedResult (holds.ts, opResult), not through boxes.
  overlappedRecv(s: number, lpBuffers: unknown, dwBufferCount: number, lpFlagsIn: number | null, ovMem: Mem,
    slot: number, hasRoutine: boolean, lpFrom: Mem, lpFromlen: OutBox): number;
  /** The one-buffer form: the numbers go in overlappedArgs (holds.ts, setCallArgs). */
  overlappedRecvOne(buf: Mem, ovMem: Mem): number;
  overlappedSend(s: number, lpBuffers: unknown, dwBufferCount: number, dwFlags: number, ovMem: Mem, slot: number,
    hasRoutine: boolean, lpTo: Mem, iTolen: number | null): number;
  /** The one-buffer form: the numbers go in overlappedArgs (holds.ts, setCallArgs). */
  overlappedSendOne(buf: Mem, ovMem: Mem): number;
  AcceptEx(sListenSocket: number, sAcceptSocket: number, lpOutputBuffer: Mem, dwReceiveDataLength: number,
    dwLocalAddressLength: number, dwRemoteAddressLength: number, ovMem: Mem, slot: number): number;
  ConnectEx(s: number, name: Mem, namelen: number, lpSendBuffer: Mem, dwSendDataLength: number, ovMem: Mem,
    slot: number): number;
  overlappedWait(s: number, ovMem: Mem): Promise<void> | undefined;
  isSocket(s: number): boolean;
  /** [kept, bytes, flags, reported]: see holds.ts. */
  overlappedResult: Float64Array;
  /** [s, len, flags, slot, hasRoutine] of a one-buffer call: see holds.ts. */
  overlappedArgs: Float64Array;
  /** Slots of operations completed without a routine, handed to the retirer in batches. */
  overlappedRetired: Uint32Array;
  setOverlappedRetirer(retire: (count: number) => void): void;
  /** The holds array (holds.ts, 4 fields per slot), where the engine finds a pending request's memory again. */
  setOverlappedHolds(held: unknown[]): void;
  // apc.cc
  SleepEx(dwMilliseconds: number, bAlertable: boolean | number): Promise<number>;
  /** QueueUserAPC's native half: the function and dwData are held in holds.ts at slot. */
  queueUserApc(slot: number, hThread: number, ownThreadId: number): number;
  /** The APC ring: [slot, error, bytes, flags] per record; apcControl is [head, tail]. */
  apcRing: Uint32Array;
  apcControl: Uint32Array;
  setApcRunner(run: (limit: number) => number): void;
  // select.cc. Each set is an fd_set's memory, C's layout as 32-bit ints: [fd_count, fd_array...].
  // timeoutMs: null waits forever, 0 checks and returns. A number when the answer is known at once
  // (the count or SOCKET_ERROR), otherwise a Promise of it.
  select(readfds: Int32Array | null, writefds: Int32Array | null, exceptfds: Int32Array | null,
    timeoutMs: number | null): number | Promise<number>;
  // events.cc
  WSACreateEvent(): number;
  WSACloseEvent(hEvent: number | null): boolean;
  WSASetEvent(hEvent: number | null): boolean;
  WSAResetEvent(hEvent: number | null): boolean;
  /** A number when decided at once (the TypeScript face wraps it), else a promise the wait settles. */
  WSAWaitForMultipleEvents(cEvents: number, lphEvents: ArrayLike<number> | null, fWaitAll: boolean | number,
    dwTimeout: number, fAlertable: boolean | number, listId?: number): number | Promise<number>;
  // event_select.cc
  WSAEventSelect(s: number, hEventObject: number | null, lNetworkEvents: number): number;
  /** lpNetworkEvents: the 44 bytes of a WSANETWORKEVENTS. */
  WSAEnumNetworkEvents(s: number, hEventObject: number | null, lpNetworkEvents: Mem): number;
  // async_select.cc
  /**
   * The realm's message poster: called once per batch with [hwnd, message, wParam, lParam] * count
   * (the array is reused: read it before returning). Set once by @winsock-models/async-select.
   */
  setMessagePoster(post: (batch: Float64Array, count: number) => void): void;
  /** hWndIsWindow: hWnd is a live window of this realm (the window table lives in TypeScript). */
  WSAAsyncSelect(s: number, hWnd: number | null, wMsg: number, lEvent: number, hWndIsWindow: boolean): number;
  /** The process-wide table of windows by handle: this realm created / destroyed hWnd. */
  registerWindow(hWnd: number): void;
  unregisterWindow(hWnd: number): void;
  /** hWnd is a live window of some realm. */
  isWindowAnywhere(hWnd: number): boolean;
  /** Posts into the queue of hWnd's realm (in order with this thread's earlier posts there); 1, or 0 for no window. */
  postWindowMessage(hWnd: number, msg: number, wParam: number, lParam: number): number;
}

function here(): string {
  // tsup's shims give the CommonJS build an import.meta.url too.
  return dirname(fileURLToPath(import.meta.url));
}

function load(): NativeBinding {
  const require = createRequire(import.meta.url);
  // src/ (tests) and dist/ (published) both sit one level below the package root.
  // WINSOCK_MODELS_ADDON names another build of the addon (pnpm test:asan loads a sanitized one).
  const candidates = [...(process.env.WINSOCK_MODELS_ADDON ? [process.env.WINSOCK_MODELS_ADDON] : []),
    join(here(), '..', 'build', 'Release', 'winsock_core.node'), join(here(), '..', 'build', 'Debug', 'winsock_core.node')];
  const tried: string[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) { tried.push(`${file} (missing)`); continue; }
    try {
      return require(file) as NativeBinding;
    } catch (err) {
      tried.push(`${file} (${(err as Error).message})`);
    }
  }
  throw new Error(
    '@winsock-models/core: the native addon is not built. It compiles with node-gyp when the package is ' +
      'installed; pnpm 10 skips that unless "@winsock-models/core" is listed in onlyBuiltDependencies ' +
      '(pnpm-workspace.yaml) — or run `pnpm rebuild @winsock-models/core`. Tried:\n  ' + tried.join('\n  '),
  );
}

export const native: NativeBinding = load();
