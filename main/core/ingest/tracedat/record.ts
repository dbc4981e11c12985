// Reading a record's fields by their layout: numbers in the file's byte order (bigint, sign-extended when the
// field is signed), char arrays and __data_loc/__rel_loc strings (libtraceevent src/event-parse.c:
// tep_read_number, the TEP_PRINT_STRING case of print_str_arg: offset in the low 16 bits, length in the high).
import type { FieldLayout } from './format';

export interface RecordData {
  readonly data: Uint8Array;
  readonly view: DataView;
  readonly littleEndian: boolean;
  readonly longSize: 4 | 8;
}

export function recordData(data: Uint8Array, littleEndian: boolean, longSize: 4 | 8): RecordData {
  return { data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), littleEndian, longSize };
}

/** An unsigned number of `size` bytes at `offset` (0n when the record is too short). */
export function readUnsigned(r: RecordData, offset: number, size: number): bigint {
  if (offset < 0 || offset + size > r.data.length) return 0n;
  switch (size) {
    case 1:
      return BigInt(r.data[offset]!);
    case 2:
      return BigInt(r.view.getUint16(offset, r.littleEndian));
    case 4:
      return BigInt(r.view.getUint32(offset, r.littleEndian));
    case 8:
      return r.view.getBigUint64(offset, r.littleEndian);
    default: {
      let v = 0n;
      for (let i = 0; i < size; i++) {
        const b = BigInt(r.data[offset + (r.littleEndian ? size - 1 - i : i)]!);
        v = (v << 8n) | b;
      }
      return v;
    }
  }
}

/** A field's numeric value (element `index` of an array field), sign-extended if the field is signed. */
export function readFieldNumber(r: RecordData, f: FieldLayout, index = 0): bigint {
  const size = f.elementSize;
  const v = readUnsigned(r, f.offset + index * size, size);
  return f.signed ? BigInt.asIntN(size * 8, v) : v;
}

/** Where a __data_loc / __rel_loc field's data is: [start, length]. */
export function dynamicSpan(r: RecordData, f: FieldLayout): [number, number] {
  const v = Number(readUnsigned(r, f.offset, 4));
  let start = v & 0xffff;
  if (f.relLoc) start += f.offset + f.size;
  return [start, v >>> 16];
}

const LATIN1 = new TextDecoder('latin1');

/** A string field: char[N] up to its NUL, or dynamic data up to its NUL. */
export function readFieldString(r: RecordData, f: FieldLayout): string {
  let start = f.offset;
  let len = f.size;
  if (f.dataLoc || f.relLoc) [start, len] = dynamicSpan(r, f);
  // "Zero sized fields, mean the rest of the data" (libtraceevent print_str_arg).
  if (len === 0 && !(f.dataLoc || f.relLoc)) len = r.data.length - start;
  const end = Math.min(start + len, r.data.length);
  let nul = r.data.indexOf(0, start);
  if (nul === -1 || nul > end) nul = end;
  return LATIN1.decode(r.data.subarray(start, Math.max(start, nul)));
}
