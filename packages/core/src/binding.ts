// Loads the addon once per realm. The only place where the loaded module becomes NativeBinding: the
// declarations below are exactly what src/native exports, kept apart from the public API.
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
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
  /** layout.def as compiled: the shared-memory layout (the agreement test). */
  layoutTable(): Record<string, number>;
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
  // overlapped_calls.cc (the engine: overlapped_engine.cc). Every overlapped call ends with the
  // WSAOVERLAPPED's 32 bytes of C memory (where hEvent is read and the result written) and its slot in
  // holds.ts, which holds the structure, the routine and any single buffer until the engine gives the
  // slot back. Counts and flags of an operation done at once come back in overlappedResult (holds.ts,
  // opResult), not through boxes.
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
  /** One byte per descriptor, 1 while it is one of our sockets (socket_table.h). */
  socketFlags(): Uint8Array;
  /** [kept, bytes, flags, reported]: see holds.ts. */
  overlappedResult: Float64Array;
  /** [s, len, flags, slot, hasRoutine] of a one-buffer call: see holds.ts. */
  overlappedArgs: Float64Array;
  /** Slots of operations completed without a routine, handed to the retirer in batches. */
  overlappedRetired: Uint32Array;
  setOverlappedRetirer(retire: (count: number) => void): void;
  /** The holds array (holds.ts, 4 fields per slot), where the engine finds a pending request's memory again. */
  setOverlappedHolds(held: unknown[]): void;
  // iocp.cc: completion ports (the iocp package's face). A wait's outcome is
  // [status, count, (key, overlappedAddress, Internal, bytes) x count]; status 0, WAIT_TIMEOUT,
  // ERROR_ABANDONED_WAIT_0, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER or WAIT_IO_COMPLETION.
  iocpCreate(FileHandle: number, ExistingCompletionPort: number, CompletionKey: number,
    NumberOfConcurrentThreads: number): number;
  /** 0, or ERROR_INVALID_HANDLE. */
  iocpClose(hObject: number): number;
  /** 0, or ERROR_INVALID_HANDLE. */
  iocpPost(CompletionPort: number, bytes: number, key: number, overlappedAddress: number): number;
  /** undefined: decided at once, the outcome is in iocpResult (an array instead for a batch larger than it). */
  iocpWait(CompletionPort: number, ulCount: number, dwMilliseconds: number, fAlertable: boolean):
    undefined | number[] | Promise<number[]>;
  /** iocpWait with its arguments in iocpArgs: [CompletionPort, ulCount >>> 0, dwMilliseconds >>> 0, fAlertable ? 1 : 0]. */
  iocpWaitArgs(): undefined | number[] | Promise<number[]>;
  iocpArgs: Float64Array;
  /** The outcome of the last wait decided inside its call, read at once. */
  iocpResult: Float64Array;
  /** The address of a view's first byte (a packet's lpOverlapped identity). */
  iocpAddressOf(view: Mem): number;
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
  /** The process-wide event state words (events.cc, "the state shared with JavaScript"). */
  eventStates(): Int32Array;
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

function packageRoot(): string {
  // src/ (tests) and dist/ (published) both sit one level below the package root; tsup's shims give
  // the CommonJS build an import.meta.url too.
  return realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..'));
}

/**
 * One core per realm: a second, different copy of this package would load a second addon, with its own
 * socket table and APC queue (a socket made through one is WSAENOTSOCK to the other), so it is refused.
 * The ESM and CommonJS builds of one copy share the package root and pass.
 */
function claimRealm(root: string, version: string): void {
  const key = Symbol.for('@winsock-models/core.loaded');
  const g = globalThis as unknown as Record<symbol, { root: string; version: string } | undefined>;
  const first = g[key];
  if (first === undefined) {
    g[key] = { root, version };
    return;
  }
  if (first.root === root) return;
  throw new Error(
    `@winsock-models/core: two different copies are loaded in one process, and they cannot share sockets:\n` +
      `  first:  ${first.root} (${first.version})\n` +
      `  second: ${root} (${version})\n` +
      'Every winsock-models package takes core as a peer dependency: install one version of ' +
      '@winsock-models/core that satisfies them all, then dedupe (`npm ls @winsock-models/core` shows who ' +
      'wants which; `npm dedupe`, `pnpm dedupe` or `yarn install --flat`).',
  );
}

/**
 * The addon: the development build (build/Release, made by node-gyp from src/native: within the repo it
 * is always there, so tests test the current source), else the prebuild for this platform
 * (prebuilds/linux-<arch>, shipped in the tarball), else the one compiled at install where no prebuild
 * matched. node-gyp-build picks among them; require's cache makes the ESM and CommonJS builds share one
 * exports object.
 */
function load(): NativeBinding {
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  const pkg = require(join(root, 'package.json')) as { version: string };
  claimRealm(root, pkg.version);
  const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };
  let file: string;
  try {
    // WINSOCK_MODELS_ADDON names another build of the addon (pnpm test:asan loads a sanitized one).
    file = process.env.WINSOCK_MODELS_ADDON || nodeGypBuild.path(root);
  } catch (err) {
    throw new Error(
      `@winsock-models/core: no native addon for ${process.platform}-${process.arch} under ${root}. Prebuilt ` +
        'binaries ship for linux-x64 and linux-arm64 (glibc); elsewhere the addon compiles at install, which ' +
        'needs python3, make and a C++17 compiler (then reinstall; with pnpm 10 also allow the build: ' +
        '`pnpm approve-builds`, or "@winsock-models/core" in onlyBuiltDependencies). ' +
        (err as Error).message.trim(),
    );
  }
  try {
    return require(file) as NativeBinding;
  } catch (err) {
    throw new Error(`@winsock-models/core: the native addon ${file} does not load: ${(err as Error).message}`);
  }
}

/**
 * The addon's exports object itself: one per realm, the same object for every build of this module
 * that loads it (require's cache), which is why realm-state.ts keeps the realm's state on it.
 */
export const addonExports: object = load();

/**
 * The addon's functions and arrays, copied into an object literal: the exports object, filled by one
 * property set per function (and given realm-state's key), is a dictionary-mode object, so every
 * `native.x` in a hot path was a dictionary lookup, a call into a load stub of ~100 instructions; the
 * copy has a fixed shape, read inline. Nothing adds to it.
 */
export const native: NativeBinding = { ...(addonExports as NativeBinding) };
