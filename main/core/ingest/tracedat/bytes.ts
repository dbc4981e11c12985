// Reading numbers and strings from a trace.dat's bytes in the file's byte order (trace-cmd.dat.v6(5):
// "Now all numbers are written in file defined endianess"). 64-bit values come back as numbers when exact
// (u64n) or as bigint (u64).

const TEXT = new TextDecoder('utf-8');
const LATIN1 = new TextDecoder('latin1');

export class ByteReader {
  readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new RangeError(`truncated: need ${n} bytes at ${this.pos}, have ${this.remaining}`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** A 64-bit value as a number; throws if it does not fit exactly (offsets and sizes always do). */
  u64n(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`64-bit value too large: ${v}`);
    return Number(v);
  }

  bytesOf(n: number): Uint8Array {
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A NUL-terminated string. */
  cstring(): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end === -1) throw new RangeError(`unterminated string at ${this.pos}`);
    const s = LATIN1.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }

  /** `n` bytes as UTF-8 text. */
  text(n: number): string {
    return TEXT.decode(this.bytesOf(n));
  }
}

/** UTF-8 text of a byte range (formats, kallsyms, cmdlines). */
export function decodeText(b: Uint8Array): string {
  return TEXT.decode(b);
}
