// Address text <-> binary: inet_pton, inet_ntop, inet_addr, inet_ntoa.
import { native } from './binding.js';
import { INADDR_NONE } from './constants.generated.js';
import { memoryOf, type IN_ADDR, type IN6_ADDR } from './structs.js';
import { WSASetLastError } from './errors.js';
import { WSAEFAULT, WSAEINVAL } from './errors.generated.js';

type AddressMemory = IN_ADDR | IN6_ADDR | Uint8Array;

/**
 * `inet_pton(Family, pszAddrString, pAddrBuf)`: 1 when the text is an address of that family (written
 * to pAddrBuf in network order), 0 when it is not, -1 (WSAEAFNOSUPPORT, WSAEFAULT) on error.
 */
export function inet_pton(Family: number, pszAddrString: string, pAddrBuf: AddressMemory | null): number {
  return native.inet_pton(Family, pszAddrString, memoryOf(pAddrBuf));
}

/**
 * `inet_ntop(Family, pAddr, pStringBuf, StringBufSize)`: the address as text, or null with the last
 * error set. pStringBuf, when given, also receives the text as NUL-terminated ASCII, as in C;
 * a StringBufSize too small for it is WSAEINVAL.
 */
export function inet_ntop(Family: number, pAddr: AddressMemory | null, pStringBuf: Uint8Array | null = null,
  StringBufSize: number = pStringBuf ? pStringBuf.byteLength : Infinity): string | null {
  const text = native.inet_ntop(Family, memoryOf(pAddr));
  if (text === null) return null;
  if (pStringBuf !== null) {
    if (!(pStringBuf instanceof Uint8Array)) throw new TypeError('inet_ntop: pStringBuf must be a Uint8Array or null');
    if (!(StringBufSize <= pStringBuf.byteLength)) { WSASetLastError(WSAEFAULT); return null; }
    if (StringBufSize < text.length + 1) { WSASetLastError(WSAEINVAL); return null; }
    for (let i = 0; i < text.length; i++) pStringBuf[i] = text.charCodeAt(i);
    pStringBuf[text.length] = 0;
  } else if (StringBufSize < text.length + 1) {
    WSASetLastError(WSAEINVAL);
    return null;
  }
  return text;
}

/**
 * `inet_addr(cp)`: a dotted IPv4 address in network byte order, or INADDR_NONE. Accepts the classic
 * BSD forms (`a.b.c.d`, `a.b.c`, `a.b`, `a`, each part decimal, octal or hex), as Windows does.
 */
export function inet_addr(cp: string): number {
  if (typeof cp !== 'string') throw new TypeError('inet_addr(cp): cp must be a string');
  const parts = cp.trim().split('.');
  if (parts.length < 1 || parts.length > 4) return INADDR_NONE;
  const values: number[] = [];
  for (const part of parts) {
    if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(part)) return INADDR_NONE;
    values.push(part.startsWith('0x') || part.startsWith('0X') ? parseInt(part, 16)
      : part.length > 1 && part.startsWith('0') ? parseInt(part, 8) : parseInt(part, 10));
  }
  const last = values.pop()!;
  const lastMax = [0xffffffff, 0xffffff, 0xffff, 0xff][values.length]!;
  if (last > lastMax || values.some((v) => v > 0xff)) return INADDR_NONE;
  let host = last;
  values.forEach((v, i) => { host += v * 2 ** (24 - 8 * i); });
  // Network byte order as C reads it from memory: the first octet is the lowest byte here.
  const bytes = new Uint8Array([host >>> 24, (host >>> 16) & 0xff, (host >>> 8) & 0xff, host & 0xff]);
  return new DataView(bytes.buffer).getUint32(0, new Uint8Array(new Uint16Array([1]).buffer)[0] === 1);
}

/** `inet_ntoa(in)`: dotted text of an IN_ADDR. */
export function inet_ntoa(inAddr: IN_ADDR): string {
  const memory = memoryOf(inAddr);
  if (!(memory instanceof Uint8Array) || memory.byteLength < 4) throw new TypeError('inet_ntoa(in): in must be an IN_ADDR');
  return `${memory[0]}.${memory[1]}.${memory[2]}.${memory[3]}`;
}
