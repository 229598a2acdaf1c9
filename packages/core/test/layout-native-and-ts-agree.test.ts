import { expect, test } from 'vitest';
import { native } from '../src/binding.js';
import * as layout from '../src/layout.generated.js';
import { WSAOVERLAPPED } from '../src/index.js';
import { memoryOf, SIZEOF } from '../src/structs.js';

// The shared-memory layout is one list (layout.def): C++ compiles it, scripts/generate.mjs writes it
// for TypeScript (the errors test runs `generate.mjs --check`, which covers this file too).

test('every layout index, count and offset compiled into the addon is the one TypeScript exports', () => {
  const table = native.layoutTable() as Record<string, number>;
  expect(Object.keys(table).length).toBeGreaterThan(20);
  expect(table).toEqual({ ...layout });
});

test('the shared arrays have the lengths the layout gives them', () => {
  expect(native.overlappedResult.length).toBe(layout.RESULT_LENGTH);
  expect(native.overlappedArgs.length).toBe(layout.ARGS_LENGTH);
  expect(native.apcRing.length).toBe(layout.APC_RING_RECORDS * layout.APC_RECORD_WORDS);
  expect(native.apcControl.length).toBe(2);
  expect(layout.APC_RING_RECORDS & (layout.APC_RING_RECORDS - 1)).toBe(0);
});

test('WSAOVERLAPPED\'s fields sit at the offsets the engine reads and writes', () => {
  const ov = new WSAOVERLAPPED();
  expect(WSAOVERLAPPED[SIZEOF]).toBe(layout.OV_SIZE);
  const fields: Array<[string, number]> = [
    ['Internal', layout.OV_INTERNAL], ['InternalHigh', layout.OV_INTERNAL_HIGH], ['Offset', layout.OV_OFFSET],
    ['OffsetHigh', layout.OV_OFFSET_HIGH], ['hEvent', layout.OV_HEVENT],
  ];
  const bytes = memoryOf(ov) as Uint8Array;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [i, [name, offset]] of fields.entries()) {
    (ov as unknown as Record<string, number>)[name] = 0x01020300 + i;
    expect([name, view.getUint32(offset, true)]).toEqual([name, 0x01020300 + i]);
  }
});
