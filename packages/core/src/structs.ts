// C structs as classes: a no-argument constructor zeroes them, fields keep C's names, and sizeof()
// gives C's size. Structs that native code reads or writes as memory (the sockaddrs, LINGER) keep
// their bytes in a Uint8Array laid out exactly as Winsock's, so a call passes the memory itself.
import type { Box } from './binding.js';

/** The memory behind a memory-backed struct (Symbol.for: shared by the ESM and CJS builds). */
export const MEMORY: unique symbol = Symbol.for('@winsock-models/core.memory') as never;
/** C's sizeof for a struct class or instance that is not memory-backed. */
export const SIZEOF: unique symbol = Symbol.for('@winsock-models/core.sizeof') as never;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A struct whose fields live in C-layout memory. */
export abstract class CStruct {
  readonly [MEMORY]: Uint8Array;
  protected readonly view: DataView;
  /**
   * The memory as native-endian int32s (as C reads an int), for structs read and zeroed per request:
   * a typed array's element access costs a few instructions where a DataView's costs some twenty.
   * Null unless the subclass asks for it and the memory is 4-byte aligned; length 0 once the memory is
   * detached or out of bounds, so every use checks its index against it.
   */
  protected readonly words: Int32Array | null;
  protected constructor(memory: Uint8Array, words = false) {
    this[MEMORY] = memory;
    this.view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    this.words = words && memory.byteOffset % 4 === 0
      ? new Int32Array(memory.buffer, memory.byteOffset, memory.byteLength >>> 2) : null;
  }
  protected u16(offset: number): number { return this.view.getUint16(offset, LITTLE_ENDIAN); }
  protected setU16(offset: number, v: number): void { this.view.setUint16(offset, v, LITTLE_ENDIAN); }
  protected u32(offset: number): number { return this.view.getUint32(offset, LITTLE_ENDIAN); }
  protected setU32(offset: number, v: number): void { this.view.setUint32(offset, v >>> 0, LITTLE_ENDIAN); }
}

/** `struct in_addr`: `s_addr` is the address in network byte order, as C reads it from memory. */
export class IN_ADDR extends CStruct {
  static readonly [SIZEOF] = 4;
  constructor(memory: Uint8Array = new Uint8Array(4)) { super(memory); }
  get s_addr(): number { return this.u32(0); }
  set s_addr(v: number) { this.setU32(0, v); }
}

/** `struct in6_addr`: the 16 address bytes. */
export class IN6_ADDR extends CStruct {
  static readonly [SIZEOF] = 16;
  constructor(memory: Uint8Array = new Uint8Array(16)) { super(memory); }
  get s6_addr(): Uint8Array { return this[MEMORY]; }
}

/** `SOCKADDR`: the generic 16-byte address. */
export class SOCKADDR extends CStruct {
  static readonly [SIZEOF] = 16;
  constructor() { super(new Uint8Array(16)); }
  get sa_family(): number { return this.u16(0); }
  set sa_family(v: number) { this.setU16(0, v); }
  get sa_data(): Uint8Array { return this[MEMORY].subarray(2, 16); }
}

/** `SOCKADDR_IN`: family, port (network byte order), address, 8 zero bytes. */
export class SOCKADDR_IN extends CStruct {
  static readonly [SIZEOF] = 16;
  readonly sin_addr: IN_ADDR;
  constructor() {
    super(new Uint8Array(16));
    this.sin_addr = new IN_ADDR(this[MEMORY].subarray(4, 8));
  }
  get sin_family(): number { return this.u16(0); }
  set sin_family(v: number) { this.setU16(0, v); }
  get sin_port(): number { return this.u16(2); }
  set sin_port(v: number) { this.setU16(2, v); }
  get sin_zero(): Uint8Array { return this[MEMORY].subarray(8, 16); }
}

/** `SOCKADDR_IN6`: family, port, flow info, address, scope id (28 bytes). */
export class SOCKADDR_IN6 extends CStruct {
  static readonly [SIZEOF] = 28;
  readonly sin6_addr: IN6_ADDR;
  constructor() {
    super(new Uint8Array(28));
    this.sin6_addr = new IN6_ADDR(this[MEMORY].subarray(8, 24));
  }
  get sin6_family(): number { return this.u16(0); }
  set sin6_family(v: number) { this.setU16(0, v); }
  get sin6_port(): number { return this.u16(2); }
  set sin6_port(v: number) { this.setU16(2, v); }
  get sin6_flowinfo(): number { return this.u32(4); }
  set sin6_flowinfo(v: number) { this.setU32(4, v); }
  get sin6_scope_id(): number { return this.u32(24); }
  set sin6_scope_id(v: number) { this.setU32(24, v); }
}

/** `SOCKADDR_STORAGE`: room for any address (128 bytes). */
export class SOCKADDR_STORAGE extends CStruct {
  static readonly [SIZEOF] = 128;
  constructor() { super(new Uint8Array(128)); }
  get ss_family(): number { return this.u16(0); }
  set ss_family(v: number) { this.setU16(0, v); }
}

/** `LINGER`: two `u_short`s, as Winsock lays it out. */
export class LINGER extends CStruct {
  static readonly [SIZEOF] = 4;
  constructor() { super(new Uint8Array(4)); }
  get l_onoff(): number { return this.u16(0); }
  set l_onoff(v: number) { this.setU16(0, v); }
  get l_linger(): number { return this.u16(2); }
  set l_linger(v: number) { this.setU16(2, v); }
}

/** `WSADATA`, filled by WSAStartup. */
export class WSADATA {
  static readonly [SIZEOF] = 408;  // x64 layout
  wVersion = 0;
  wHighVersion = 0;
  szDescription = '';
  szSystemStatus = '';
  iMaxSockets = 0;
  iMaxUdpDg = 0;
  lpVendorInfo: null = null;
}

/** `WSABUF`: one buffer of a scatter/gather list. `len` comes first, as in C. */
export class WSABUF {
  static readonly [SIZEOF] = 16;
  len = 0;
  buf: Uint8Array | null = null;
  constructor(len = 0, buf: Uint8Array | null = null) {
    this.len = len;
    this.buf = buf;
  }
}

type Sizable = CStruct | Uint8Array | Box | { constructor: Function } | (abstract new (...a: never[]) => unknown);

/**
 * C's `sizeof`: a struct class or instance gives its C size, a `{ value }` box the 4 bytes of the
 * `int`/`DWORD` it stands for, a Uint8Array its length.
 */
export function sizeof(x: Sizable): number {
  // The usual cases first: sizeof(WSAOVERLAPPED) (a class: 188 instructions when two instanceof
  // tests walked its prototype chain first, about 64 now), then sizeof(ov).
  if (typeof x === 'function') {
    const size = (x as unknown as { [SIZEOF]?: number })[SIZEOF];
    if (typeof size === 'number') return size;
  } else if (x instanceof CStruct) {
    return x[MEMORY].byteLength;
  } else if (x instanceof Uint8Array) {
    return x.byteLength;
  } else if (x !== null && typeof x === 'object') {
    const memory = (x as { [MEMORY]?: Uint8Array })[MEMORY];
    if (memory instanceof Uint8Array) return memory.byteLength;
    const size = (x.constructor as { [SIZEOF]?: number } | undefined)?.[SIZEOF];
    if (typeof size === 'number') return size;
    if ('value' in x) return 4;
  }
  throw new TypeError('sizeof: expected a struct, a struct class, a { value } box or a Uint8Array');
}

/**
 * `ZeroMemory(Destination, Length)`: zeroes the first Length bytes of a memory-backed struct or of a
 * Uint8Array. A class that extends a struct (C's SOCKETINFO beginning with its WSAOVERLAPPED) keeps its
 * own fields: only the struct's memory is C memory.
 */
export function ZeroMemory(Destination: object, Length: number): void {
  if (Destination instanceof CStruct) { zeroStruct(Destination, Length); return; }
  if (Destination instanceof Uint8Array) { zero(Destination, Length); return; }
  const memory = (Destination as { [MEMORY]?: Uint8Array } | null)?.[MEMORY];
  if (!(memory instanceof Uint8Array)) throw new TypeError('ZeroMemory: Destination must be a struct or a Uint8Array');
  zero(memory, Length);
}

// A struct zeroed whole, or its first Length bytes in 4-byte steps (a WSAOVERLAPPED before every request):
// int32 stores through the struct's words where it has them (a WSAOVERLAPPED's 8, unrolled: about 60
// instructions with the checks, where the DataView's loop took 190), else through its DataView.
function zeroStruct(struct: CStruct, Length: number): void {
  const memory = struct[MEMORY];
  if ((Length >>> 0) === Length && (Length & 3) === 0 && Length <= 64 && Length <= memory.length) {
    const words = (struct as unknown as { words: Int32Array | null }).words;
    const n = Length >>> 2;
    if (words !== null && n <= words.length) {
      if (n === 8) {  // a WSAOVERLAPPED: unrolled, as a loop's per-iteration checks cost more than its stores
        words[0] = 0; words[1] = 0; words[2] = 0; words[3] = 0; words[4] = 0; words[5] = 0; words[6] = 0; words[7] = 0;
      } else {
        for (let i = 0; i < n; i++) words[i] = 0;
      }
    } else {
      const view = (struct as unknown as { view: DataView }).view;
      for (let i = 0; i < Length; i += 4) view.setUint32(i, 0);
    }
  } else {
    zero(memory, Length);
  }
}

// Up to 64 bytes a plain loop is compiled inline, where fill() is a call into the runtime. Any other
// Length (fractional, negative, past the memory) goes to fill(), whose reading of it is the one
// ZeroMemory has always had.
function zero(memory: Uint8Array, Length: number): void {
  if ((Length >>> 0) === Length && Length <= 64 && Length <= memory.length) {
    for (let i = 0; i < Length; i++) memory[i] = 0;
  } else {
    memory.fill(0, 0, Length);
  }
}

/**
 * The memory a pointer parameter stands for: a struct's bytes, a Uint8Array itself, null for C's
 * NULL. Anything else passes through unchanged, for native code to refuse with a TypeError.
 */
export function memoryOf(x: unknown): Uint8Array | null | undefined {
  if (x === null || x === undefined) return x as null | undefined;
  const memory = (x as { [MEMORY]?: Uint8Array })[MEMORY];
  return memory instanceof Uint8Array ? memory : (x as Uint8Array);
}
