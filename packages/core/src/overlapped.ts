// WSAOVERLAPPED and the overlapped results: WSAGetOverlappedResult, AcceptEx, ConnectEx,
// GetAcceptExSockaddrs. The calls themselves are WSASend/WSARecv/WSASendTo/WSARecvFrom (wsabuf.ts),
// which take this path when given an lpOverlapped.
import { native, type Box } from './binding.js';
import { AF_INET6, STATUS_PENDING } from './constants.generated.js';
import { WSA_INVALID_PARAMETER, WSA_IO_INCOMPLETE, WSAEFAULT, WSAENOTSOCK } from './errors.generated.js';
import { WSASetLastError } from './errors.js';
import { CStruct, SIZEOF, SOCKADDR_IN, SOCKADDR_IN6, memoryOf, MEMORY } from './structs.js';
import { BYTES, REPORTED, beginCall, endCall, opResult } from './holds.js';
import { OV_HEVENT, OV_INTERNAL, OV_INTERNAL_HIGH, OV_OFFSET, OV_OFFSET_HIGH, OV_SIZE } from './layout.generated.js';
import type { SOCKET, SockaddrLike } from './sockets.js';

/**
 * WSAOVERLAPPED's five fields over the first 32 bytes of any memory: the one definition of them, which
 * `WSAOVERLAPPED` (its own memory) and iocp's `OVERLAPPED_RECORD` (arena memory) both extend.
 */
export abstract class OverlappedFields extends CStruct {
  constructor(memory: Uint8Array) {
    // Checked once here, so that `instanceof OverlappedFields` vouches for the 32 bytes everywhere after.
    if (!(memory instanceof Uint8Array) || memory.byteLength < OV_SIZE) throw new TypeError('an OVERLAPPED needs 32 bytes of memory');
    super(memory, true);  // zeroed before every request: through words (structs.ts, zeroStruct)
  }
  // ULONG_PTR fields hold 32-bit values here (codes, byte counts, handles): the high half stays 0. The
  // offsets are layout.def's, which the engine compiles too.
  get Internal(): number { return this.word(OV_INTERNAL); }
  set Internal(v: number) { this.setWord(OV_INTERNAL, v); this.setWord(OV_INTERNAL + 4, 0); }
  get InternalHigh(): number { return this.word(OV_INTERNAL_HIGH); }
  set InternalHigh(v: number) { this.setWord(OV_INTERNAL_HIGH, v); this.setWord(OV_INTERNAL_HIGH + 4, 0); }
  get Offset(): number { return this.word(OV_OFFSET); }
  set Offset(v: number) { this.setWord(OV_OFFSET, v); }
  get OffsetHigh(): number { return this.word(OV_OFFSET_HIGH); }
  set OffsetHigh(v: number) { this.setWord(OV_OFFSET_HIGH, v); }
  get hEvent(): number { return this.word(OV_HEVENT); }
  set hEvent(v: number) { this.setWord(OV_HEVENT, v); this.setWord(OV_HEVENT + 4, 0); }
  // A field as one of the struct's int32 words (structs.ts) while its memory is attached: a few
  // instructions, where a DataView access costs about twenty; else through the DataView, which
  // throws for detached memory as these fields always have. The store is ToInt32(v): the bits of v >>> 0.
  private word(offset: number): number {
    const w = this.words;
    return w !== null && w.length >= 8 ? w[offset >> 2]! >>> 0 : this.u32(offset);
  }
  private setWord(offset: number, v: number): void {
    const w = this.words;
    if (w !== null && w.length >= 8) w[offset >> 2] = v;
    else this.setU32(offset, v);
  }
}

/**
 * `WSAOVERLAPPED`, in C's 32-byte layout (Internal, InternalHigh, Offset, OffsetHigh, hEvent), so the
 * engine reads hEvent and writes the result as memory, without touching JavaScript properties. Zero it
 * (`ZeroMemory(ov, sizeof(ov))`, or use a new one) for every request and keep it, and the buffers,
 * until the request completes. Internal holds STATUS_PENDING (0x103) while pending, then the
 * request's WSA code (0 for success); InternalHigh the bytes transferred; Offset the output flags.
 * A struct that begins with a WSAOVERLAPPED, as C's SOCKETINFO does, extends this class.
 */
export class WSAOVERLAPPED extends OverlappedFields {
  static readonly [SIZEOF] = OV_SIZE;
  constructor() { super(overlappedMemory()); }
}

// A WSAOVERLAPPED's memory is a slice of a SharedArrayBuffer: memory that can be neither detached
// nor transferred away, so the engine may keep writing a pending request's result into it without
// finding it again first (caller_memory.h; overlapped_calls.cc reads the kind of buffer at issue and looks
// up any other memory a caller passes as lpOverlapped again before each use). Slices of 32 bytes from
// 4 KiB slabs: one allocation per 128 structures; a slab lives while any of its structures does.
const SLAB_BYTES = 4096;
let slab: SharedArrayBuffer | null = null;
let slabUsed = SLAB_BYTES;
function overlappedMemory(): Uint8Array {
  if (slabUsed + 32 > SLAB_BYTES) {
    slab = new SharedArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const memory = new Uint8Array(slab!, slabUsed, 32);
  slabUsed += 32;
  return memory;
}

/** `LPWSAOVERLAPPED_COMPLETION_ROUTINE`: `(dwError, cbTransferred, lpOverlapped, dwFlags)`. */
export type LPWSAOVERLAPPED_COMPLETION_ROUTINE =
  (dwError: number, cbTransferred: number, lpOverlapped: WSAOVERLAPPED, dwFlags: number) => void;

// Internal is read once: a request another thread completes (an IOCP worker's) may change it between reads.
function readResult(lpOverlapped: OverlappedFields, lpcbTransfer: Box, lpdwFlags: Box): number {
  const status = lpOverlapped.Internal;
  if (status === STATUS_PENDING) { WSASetLastError(WSA_IO_INCOMPLETE); return 0; }
  // Written on failure too: for a truncated datagram (WSAEMSGSIZE) the count is what was delivered.
  lpcbTransfer.value = lpOverlapped.InternalHigh;
  lpdwFlags.value = lpOverlapped.Offset;
  WSASetLastError(status);
  return status === 0 ? 1 : 0;
}

// One byte per descriptor, 1 while it is one of our sockets (socket_table.h), shared with native code
// and every realm: the socket check below needs no call into native code for descriptors it covers.
// (Sockets exist only between WSAStartup and the last WSACleanup, which unregisters them all.) A plain
// read: a byte cannot tear, and Atomics.load on this non-shared memory is a call into the runtime; a
// socket closed by another thread just after the read is the same race with either read.
const socketFlags: Uint8Array = native.socketFlags();
function isSocket(s: SOCKET): boolean {
  if (typeof s === 'number' && s >= 0 && s < socketFlags.length && (s | 0) === s)
    return socketFlags[s] === 1;
  return native.isSocket(s);
}

// Any other object with 32 bytes of memory (as WSASend takes it as lpOverlapped), read through the fields.
class OverlappedAt extends OverlappedFields {}

/** The fields to read lpOverlapped's result through, or null with the last error set. */
function checkArgs(s: SOCKET, lpOverlapped: WSAOVERLAPPED | null, lpcbTransfer: Box | null,
  lpdwFlags: Box | null): OverlappedFields | null {
  if (!isSocket(s)) { WSASetLastError(WSAENOTSOCK); return null; }
  if (lpOverlapped === null || lpOverlapped === undefined) { WSASetLastError(WSA_INVALID_PARAMETER); return null; }
  let fields: OverlappedFields = lpOverlapped;
  if (!(lpOverlapped instanceof OverlappedFields)) {
    const memory = (lpOverlapped as { [MEMORY]?: Uint8Array })[MEMORY];
    if (!(memory instanceof Uint8Array) || memory.byteLength < OV_SIZE) {
      throw new TypeError('WSAGetOverlappedResult: lpOverlapped must be a WSAOVERLAPPED');
    }
    fields = new OverlappedAt(memory);
  }
  if (!lpcbTransfer || !lpdwFlags) { WSASetLastError(WSAEFAULT); return null; }
  return fields;
}

/**
 * The result of an overlapped request. fWait false: TRUE (1) when it completed successfully, FALSE (0)
 * with the last error otherwise — WSA_IO_INCOMPLETE while pending, or the request's own error
 * (WSAECONNRESET, WSA_OPERATION_ABORTED after closesocket, WSAEMSGSIZE for a truncated datagram).
 * fWait true: a Promise of the same, once the request has completed. A completed receive of 0 bytes
 * means the peer closed.
 */
export function WSAGetOverlappedResult(s: SOCKET, lpOverlapped: WSAOVERLAPPED | null, lpcbTransfer: Box | null,
  fWait: false | 0, lpdwFlags: Box | null): number;
export function WSAGetOverlappedResult(s: SOCKET, lpOverlapped: WSAOVERLAPPED | null, lpcbTransfer: Box | null,
  fWait: true | 1, lpdwFlags: Box | null): Promise<number>;
export function WSAGetOverlappedResult(s: SOCKET, lpOverlapped: WSAOVERLAPPED | null, lpcbTransfer: Box | null,
  fWait: boolean | number, lpdwFlags: Box | null): number | Promise<number>;
export function WSAGetOverlappedResult(s: SOCKET, lpOverlapped: WSAOVERLAPPED | null, lpcbTransfer: Box | null,
  fWait: boolean | number, lpdwFlags: Box | null): number | Promise<number> {
  const fields = checkArgs(s, lpOverlapped, lpcbTransfer, lpdwFlags);
  if (!fWait) return fields === null ? 0 : readResult(fields, lpcbTransfer!, lpdwFlags!);
  if (fields === null) return Promise.resolve(0);
  const pending = fields.Internal === STATUS_PENDING ? native.overlappedWait(s, memoryOf(fields)) : undefined;
  if (!pending) return Promise.resolve(readResult(fields, lpcbTransfer!, lpdwFlags!));
  return pending.then(() => readResult(fields, lpcbTransfer!, lpdwFlags!));
}

/**
 * `AcceptEx`: accepts a connection onto sAcceptSocket (a fresh, unbound socket), optionally with the
 * first dwReceiveDataLength bytes, and writes both addresses after the data (read them with
 * GetAcceptExSockaddrs). Each address length must be at least sizeof(address) + 16. TRUE when done
 * at once; FALSE with WSA_IO_PENDING when it completes later.
 */
export function AcceptEx(sListenSocket: SOCKET, sAcceptSocket: SOCKET, lpOutputBuffer: Uint8Array,
  dwReceiveDataLength: number, dwLocalAddressLength: number, dwRemoteAddressLength: number,
  lpdwBytesReceived: Box | null, lpOverlapped: WSAOVERLAPPED): number {
  const usage = 'AcceptEx(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, ' +
    'dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped)';
  checkBox(lpdwBytesReceived, usage, 'lpdwBytesReceived');
  const ovMem = memoryOf(lpOverlapped);
  const slot = beginCall(lpOverlapped, null, lpOutputBuffer, ovMem);
  let r: number;
  try {
    r = native.AcceptEx(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
      dwRemoteAddressLength, ovMem, slot);
  } finally {
    endCall(slot);
  }
  if (opResult[REPORTED] === 1 && lpdwBytesReceived) lpdwBytesReceived.value = opResult[BYTES]!;
  return r;
}

/**
 * `ConnectEx`: connects a bound socket, then sends dwSendDataLength bytes of lpSendBuffer. TRUE when
 * done at once; FALSE with WSA_IO_PENDING when it completes later (InternalHigh = bytes sent).
 */
export function ConnectEx(s: SOCKET, name: SockaddrLike, namelen: number, lpSendBuffer: Uint8Array | null,
  dwSendDataLength: number, lpdwBytesSent: Box | null, lpOverlapped: WSAOVERLAPPED): number {
  checkBox(lpdwBytesSent, 'ConnectEx(s, name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent, lpOverlapped)',
    'lpdwBytesSent');
  const ovMem = memoryOf(lpOverlapped);
  const slot = beginCall(lpOverlapped, null, lpSendBuffer, ovMem);
  let r: number;
  try {
    r = native.ConnectEx(s, memoryOf(name), namelen, lpSendBuffer, dwSendDataLength, ovMem, slot);
  } finally {
    endCall(slot);
  }
  if (opResult[REPORTED] === 1 && lpdwBytesSent) lpdwBytesSent.value = opResult[BYTES]!;
  return r;
}

/** An out-parameter must be an object such as `{ value: 0 }`, or null (C's NULL). */
export function checkBox(box: unknown, usage: string, name: string): void {
  if (box !== null && box !== undefined && (typeof box !== 'object' || ArrayBuffer.isView(box))) {
    throw new TypeError(`${usage}: ${name} must be an object such as { value: 0 }, or null`);
  }
}

function sockaddrAt(buf: Uint8Array, offset: number): SOCKADDR_IN | SOCKADDR_IN6 {
  const family = buf[offset]! | (buf[offset + 1]! << 8);
  const out = family === AF_INET6 ? new SOCKADDR_IN6() : new SOCKADDR_IN();
  const mem = out[MEMORY];
  mem.set(buf.subarray(offset, offset + mem.byteLength));
  return out;
}

/**
 * `GetAcceptExSockaddrs`: the local and remote addresses AcceptEx wrote into lpOutputBuffer. C hands
 * back pointers into the buffer; here LocalSockaddr.value and RemoteSockaddr.value receive copies.
 */
export function GetAcceptExSockaddrs(lpOutputBuffer: Uint8Array, dwReceiveDataLength: number,
  dwLocalAddressLength: number, _dwRemoteAddressLength: number, LocalSockaddr: Box<SOCKADDR_IN | SOCKADDR_IN6 | null>,
  LocalSockaddrLength: Box, RemoteSockaddr: Box<SOCKADDR_IN | SOCKADDR_IN6 | null>, RemoteSockaddrLength: Box): void {
  const local = sockaddrAt(lpOutputBuffer, dwReceiveDataLength);
  const remote = sockaddrAt(lpOutputBuffer, dwReceiveDataLength + dwLocalAddressLength);
  LocalSockaddr.value = local;
  LocalSockaddrLength.value = local[MEMORY].byteLength;
  RemoteSockaddr.value = remote;
  RemoteSockaddrLength.value = remote[MEMORY].byteLength;
}
