// The socket calls. Thin: native code validates every argument; these faces turn structs into their
// memory and `{ value }` option boxes into C's int memory.
import { native, type Box } from './binding.js';
import { CStruct, memoryOf, type WSADATA, type LINGER } from './structs.js';

/** A socket is its descriptor number; `INVALID_SOCKET` (-1) is none. */
export type SOCKET = number;
/** Any sockaddr: a SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR, SOCKADDR_STORAGE, or raw Winsock-layout bytes. */
export type SockaddrLike = CStruct | Uint8Array;

/** Starts Winsock for the process. Returns 0 or the error code (WSAVERNOTSUPPORTED, WSAEFAULT). */
export function WSAStartup(wVersionRequested: number, lpWSAData: WSADATA | null): number {
  return native.WSAStartup(wVersionRequested, lpWSAData);
}
/** Ends one WSAStartup. The last one closes every socket. 0 or SOCKET_ERROR (WSANOTINITIALISED). */
export const WSACleanup: () => number = native.WSACleanup;
/** Creates a socket (blocking, as in Winsock). Returns it or INVALID_SOCKET. */
export const socket: (af: number, type: number, protocol: number) => SOCKET = native.socket;
/** Closes a socket; pending waits on it end and its number is no socket any more. */
export const closesocket: (s: SOCKET) => number = native.closesocket;
export const listen: (s: SOCKET, backlog: number) => number = native.listen;
export const shutdown: (s: SOCKET, how: number) => number = native.shutdown;
/** Sends up to len bytes of buf. A blocking socket waits (this thread only) until all are taken. */
export const send: (s: SOCKET, buf: Uint8Array, len: number, flags: number) => number = native.send;
/** Receives up to len bytes into buf: the count, 0 when the peer closed gracefully, or SOCKET_ERROR. */
export const recv: (s: SOCKET, buf: Uint8Array, len: number, flags: number) => number = native.recv;

export function bind(s: SOCKET, name: SockaddrLike | null, namelen: number): number {
  return native.bind(s, memoryOf(name), namelen);
}
export function connect(s: SOCKET, name: SockaddrLike | null, namelen: number): number {
  return native.connect(s, memoryOf(name), namelen);
}
/** Accepts a connection. addr/addrlen may be null; addrlen.value is the room in and the size out. */
export function accept(s: SOCKET, addr: SockaddrLike | null, addrlen: Box | null): SOCKET {
  return native.accept(s, memoryOf(addr), addrlen);
}
export function sendto(s: SOCKET, buf: Uint8Array, len: number, flags: number, to: SockaddrLike | null,
  tolen: number): number {
  return native.sendto(s, buf, len, flags, memoryOf(to), tolen);
}
export function recvfrom(s: SOCKET, buf: Uint8Array, len: number, flags: number, from: SockaddrLike | null,
  fromlen: Box | null): number {
  return native.recvfrom(s, buf, len, flags, memoryOf(from), fromlen);
}
export function getsockname(s: SOCKET, name: SockaddrLike | null, namelen: Box | null): number {
  return native.getsockname(s, memoryOf(name), namelen);
}
export function getpeername(s: SOCKET, name: SockaddrLike | null, namelen: Box | null): number {
  return native.getpeername(s, memoryOf(name), namelen);
}
/** FIONBIO reads argp.value (non-zero: non-blocking); FIONREAD and SIOCATMARK write it. */
export function ioctlsocket(s: SOCKET, cmd: number, argp: Box | null): number {
  return native.ioctlsocket(s, cmd, argp);
}

// An option value is C's memory: a { value } box stands for an int/BOOL/DWORD, a LINGER for itself,
// a Uint8Array for raw bytes. One scratch int serves every call: these calls never re-enter.
const scratch = new Uint8Array(4);
const scratchView = new DataView(scratch.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
type OptionValue = Box | LINGER | Uint8Array;

function isBox(x: unknown): x is Box {
  return x !== null && typeof x === 'object' && !(x instanceof CStruct) && !ArrayBuffer.isView(x) && 'value' in x;
}

/** `setsockopt(s, level, optname, optval, optlen)`; optval `{ value: 1 }` with optlen `sizeof(optval)` (4). */
export function setsockopt(s: SOCKET, level: number, optname: number, optval: OptionValue | null, optlen: number): number {
  if (isBox(optval)) {
    scratchView.setInt32(0, Number(optval.value) | 0, LE);
    return native.setsockopt(s, level, optname, scratch, optlen);
  }
  return native.setsockopt(s, level, optname, memoryOf(optval), optlen);
}

/** `getsockopt(s, level, optname, optval, optlen)`; optlen is a `{ value }` box, in and out. */
export function getsockopt(s: SOCKET, level: number, optname: number, optval: OptionValue | null,
  optlen: Box | null): number {
  if (isBox(optval)) {
    scratch.fill(0);
    const r = native.getsockopt(s, level, optname, scratch, optlen);
    if (r === 0) optval.value = scratchView.getInt32(0, LE);
    return r;
  }
  return native.getsockopt(s, level, optname, memoryOf(optval), optlen);
}
