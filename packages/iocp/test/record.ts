// The per-I/O struct the tests and fixtures share (fixtures/record.mjs is the same in plain JavaScript):
// a WSAOVERLAPPED, then sock (int32) and a 64-byte buffer, as a C test's SOCKETINFO would be.
import { OVERLAPPED_RECORD, SIZEOF, WSABUF } from '../src/index.js';

export class IOREC extends OVERLAPPED_RECORD {
  static override readonly [SIZEOF] = 32 + 8 + 64;
  wsabuf = new WSABUF();
  get sock(): number { return this.i32(32); }
  set sock(v: number) { this.setI32(32, v); }
  get buf(): Uint8Array { return this.bytes(40, 64); }
}
