// Per-I/O data in memory every thread sees. A C IOCP server keeps a struct per request that begins
// with its OVERLAPPED (SOCKETINFO), hands &ptr->overlapped to WSARecv, and any worker thread that
// dequeues the completion casts lpOverlapped back to SOCKETINFO*. Here threads are worker_threads
// realms, whose JavaScript objects are not shared; so the struct lives in an IoArena: a
// SharedArrayBuffer of fixed-size records, made once (usually by the main thread), passed to workers
// in workerData (arena.shared) and opened there with the same struct class. Every realm maps the same
// bytes; a packet carries the WSAOVERLAPPED's address, and GetQueuedCompletionStatus in any realm turns
// it back into that realm's object for the record (one object per record per realm, made on first use).
//
// Layout of the buffer: a header of 3 int32s (lock, free-stack depth, records ever handed out), the
// free stack (one int32 record index per record), then the records, each `size` bytes rounded up to 8.
// alloc/free take a spin lock in the header (Atomics), held for a few instructions only.
import { native, memoryOf, OverlappedFields, SIZEOF } from '@winsock-models/core/internal';

/** A struct whose first 32 bytes are a WSAOVERLAPPED, in caller-given (arena) memory: extend it. */
export abstract class OVERLAPPED_RECORD extends OverlappedFields {
  /** Subclasses set C's size of the whole struct (WSAOVERLAPPED's 32 bytes included). */
  static readonly [SIZEOF]: number = 32;
  constructor(memory: Uint8Array) { super(memory); }
  /** int32 field at a byte offset of the struct (C's `int`). */
  protected i32(offset: number): number { return this.view.getInt32(offset, true); }
  protected setI32(offset: number, v: number): void { this.view.setInt32(offset, v, true); }
  /** `len` bytes of the struct from `offset`, as a view (C's `char buf[len]` member). */
  protected bytes(offset: number, len: number): Uint8Array { return memoryOf(this)!.subarray(offset, offset + len); }
}

/** What a worker needs to open an arena: structured-cloneable (pass it in workerData). */
export interface IoArenaShared {
  readonly buffer: SharedArrayBuffer;
  readonly size: number;
  readonly count: number;
}

type RecordClass<T> = (new (memory: Uint8Array) => T) & { readonly [SIZEOF]: number };

const HEADER_INTS = 3;
const LOCK = 0, DEPTH = 1, HANDED = 2;

// The arenas open in this realm, found by address (one list per realm, whichever build holds it).
const REGISTRY = Symbol.for('@winsock-models/iocp.arenas');
type Registry = { arenas: IoArena<OVERLAPPED_RECORD>[] };
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (g[REGISTRY] ??= { arenas: [] });
}

export class IoArena<T extends OVERLAPPED_RECORD> {
  /** Pass this to workers (workerData); they call IoArena.open(shared, Type). */
  readonly shared: IoArenaShared;
  private readonly ints: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly recordsAt: number;
  private readonly base: number;
  // fromAddress's numbers: the first record's address, the bytes all records span, one record's size.
  private readonly first: number;
  private readonly span: number;
  private readonly size: number;
  private readonly objects: (T | undefined)[];

  /** An arena of `count` records of Type (its [SIZEOF]), zeroed. */
  static create<T extends OVERLAPPED_RECORD>(Type: RecordClass<T>, count: number): IoArena<T> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('IoArena.create: count must be a positive integer');
    const size = Math.ceil(Type[SIZEOF] / 8) * 8;
    if (!(size >= 32)) throw new RangeError('IoArena.create: the struct must be at least a WSAOVERLAPPED (32 bytes)');
    const recordsAt = Math.ceil(4 * (HEADER_INTS + count) / 8) * 8;
    return new IoArena(Type, { buffer: new SharedArrayBuffer(recordsAt + size * count), size, count });
  }

  /** The same arena in this realm (a worker), with this realm's objects for its records. */
  static open<T extends OVERLAPPED_RECORD>(shared: IoArenaShared, Type: RecordClass<T>): IoArena<T> {
    if (!shared || !(shared.buffer instanceof SharedArrayBuffer)) throw new TypeError('IoArena.open: shared must be an arena\'s `shared`');
    return new IoArena(Type, shared);
  }

  private constructor(private readonly Type: RecordClass<T>, shared: IoArenaShared) {
    this.shared = shared;
    this.ints = new Int32Array(shared.buffer, 0, HEADER_INTS + shared.count);
    this.bytes = new Uint8Array(shared.buffer);
    this.recordsAt = Math.ceil(4 * (HEADER_INTS + shared.count) / 8) * 8;
    this.base = native.iocpAddressOf(this.bytes);
    this.first = this.base + this.recordsAt;
    this.size = shared.size;
    this.span = shared.count * shared.size;
    this.objects = new Array(shared.count);
    registry().arenas.push(this as unknown as IoArena<OVERLAPPED_RECORD>);
  }

  /** `new SOCKETINFO`: a zeroed record, or null when every record is in use. */
  alloc(): T | null {
    let index = -1;
    this.lock();
    try {
      const depth = this.ints[DEPTH]!;
      if (depth > 0) {
        index = this.ints[HEADER_INTS + depth - 1]!;
        this.ints[DEPTH] = depth - 1;
      } else if (this.ints[HANDED]! < this.shared.count) {
        index = this.ints[HANDED]!;
        this.ints[HANDED] = index + 1;
      }
    } finally {
      this.unlock();
    }
    if (index < 0) return null;
    const at = this.recordsAt + index * this.shared.size;
    this.bytes.fill(0, at, at + this.shared.size);
    return this.at(index);
  }

  /** `delete ptr`: the record goes back (any realm may free what another allocated). */
  free(record: T): void {
    const index = this.indexOf(record);
    this.lock();
    try {
      const depth = this.ints[DEPTH]!;
      this.ints[HEADER_INTS + depth] = index;
      this.ints[DEPTH] = depth + 1;
    } finally {
      this.unlock();
    }
  }

  /** Records in use now (allocated and not freed), from any realm. */
  inUse(): number { return Atomics.load(this.ints, HANDED) - Atomics.load(this.ints, DEPTH); }

  /** This realm's object for the record at a WSAOVERLAPPED address, or undefined if not in this arena. */
  fromAddress(address: number): T | undefined {
    const offset = address - this.first;
    if (!(offset >= 0 && offset < this.span)) return undefined;
    // A division, not `%`: addresses are past 2^31, and % of such numbers is a call into the runtime.
    const index = offset / this.size;
    return index === Math.floor(index) ? this.at(index) : undefined;
  }

  private at(index: number): T {
    let o = this.objects[index];
    if (!o) {
      const at = this.recordsAt + index * this.shared.size;
      o = this.objects[index] = new this.Type(this.bytes.subarray(at, at + this.shared.size));
    }
    return o;
  }

  private indexOf(record: T): number {
    const mem = memoryOf(record);
    const index = mem && mem.buffer === this.shared.buffer ? (mem.byteOffset - this.recordsAt) / this.shared.size : -1;
    if (!Number.isInteger(index) || index < 0 || index >= this.shared.count) {
      throw new TypeError('IoArena.free: the record is not from this arena');
    }
    return index;
  }

  private lock(): void {
    while (Atomics.compareExchange(this.ints, LOCK, 0, 1) !== 0) Atomics.wait(this.ints, LOCK, 1, 1);
  }
  private unlock(): void {
    Atomics.store(this.ints, LOCK, 0);
    Atomics.notify(this.ints, LOCK, 1);
  }
}

// This realm's list, looked up once (the registry object lives as long as the realm).
const arenas = registry().arenas;

/** The object for a packet's lpOverlapped address in this realm's arenas, or undefined. */
export function fromArenas(address: number): OVERLAPPED_RECORD | undefined {
  for (const a of arenas) {
    const o = a.fromAddress(address);
    if (o) return o;
  }
  return undefined;
}
