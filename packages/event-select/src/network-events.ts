// WSANETWORKEVENTS: { long lNetworkEvents; int iErrorCode[FD_MAX_EVENTS]; } — 44 bytes, C's layout, so
// WSAEnumNetworkEvents fills it in place.
import { CStruct, MEMORY, SIZEOF } from '@winsock-models/core/internal';
import { FD_MAX_EVENTS } from '@winsock-models/core';

export class WSANETWORKEVENTS extends CStruct {
  static readonly [SIZEOF] = 4 + 4 * FD_MAX_EVENTS;
  /** The error code of each reported event, indexed by FD_*_BIT (FD_READ_BIT, FD_CLOSE_BIT, ...). */
  readonly iErrorCode: Int32Array;
  constructor() {
    super(new Uint8Array(4 + 4 * FD_MAX_EVENTS));
    const memory = this[MEMORY];
    this.iErrorCode = new Int32Array(memory.buffer, memory.byteOffset + 4, FD_MAX_EVENTS);
  }
  /** The FD_* bits that occurred. */
  get lNetworkEvents(): number { return this.view.getInt32(0, LITTLE_ENDIAN); }
  set lNetworkEvents(v: number) { this.view.setInt32(0, v | 0, LITTLE_ENDIAN); }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
