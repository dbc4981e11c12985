// A growable byte buffer for writing UTF-8 text out of precomputed fragments, integers and hex digits
// without creating strings: the batch JSON path writes ~300 bytes per value and strings would dominate.

const utf8 = new TextEncoder();

/** UTF-8 bytes of a fixed text fragment (computed once, at module load). */
export function fragment(text: string): Uint8Array {
  return utf8.encode(text);
}

const HEX_DIGITS = fragment('0123456789abcdef');

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends a fragment; short ones by a loop (cheaper than a typed-array set call). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    if (n > 32) {
      this.buf.set(b, this.pos);
    } else {
      const buf = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) buf[p + i] = b[i] as number;
    }
    this.pos += n;
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.pos++] = c;
  }

  /** Appends any text as UTF-8 (for the rare dynamic parts: warnings, the KVM view). */
  text(s: string): void {
    this.reserve(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Appends a non-negative integer below 2^32 in decimal. */
  uint(v: number): void {
    this.reserve(10);
    const buf = this.buf;
    if (v < 10) {
      buf[this.pos++] = 48 + v;
      return;
    }
    let n = 0;
    for (let t = v; t > 0; t = Math.floor(t / 10)) n++;
    let p = this.pos + n;
    for (let t = v; t > 0; t = Math.floor(t / 10)) buf[--p] = 48 + (t % 10);
    this.pos += n;
  }

  /** Appends a 32-bit value in lower-case hex: without leading zeros, or padded to 8 digits. */
  hex32(v: number, pad: boolean): void {
    this.reserve(8);
    let n = 8;
    if (!pad) while (n > 1 && ((v >>> ((n - 1) * 4)) & 0xf) === 0) n--;
    const buf = this.buf;
    for (let i = n - 1; i >= 0; i--) buf[this.pos++] = HEX_DIGITS[(v >>> (i * 4)) & 0xf] as number;
  }

  /** The bytes written so far (a view: valid until the next write). */
  view(from = 0): Uint8Array {
    return this.buf.subarray(from, this.pos);
  }
}
