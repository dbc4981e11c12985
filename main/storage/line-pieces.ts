// A big log's bytes cut into pieces that end with a LF, so that each piece can be read on its own (by
// the line reader thread or the importing thread, whichever is free: LogLineSource) and the lines come
// out as if the file had been read in one go (LineProducer.piece). What follows the last LF of the input
// so far waits for the next chunk. A line that goes on without a LF for longer than the splitter would
// keep of it is kept only up to that length (the rest is dropped up to its LF, as the splitter would drop
// it), so memory stays bounded whatever the input.
import { DEFAULT_MAX_LINE_CHARS } from '../core/ingest/lines/line-splitter';

/**
 * Bytes of an unfinished line kept at most: enough for the splitter's longest line in any UTF-8 (4 bytes
 * a character), with room for the CRs it strips, so the line it cuts is the one it would have cut.
 */
export const MAX_CARRY_BYTES = 4 * DEFAULT_MAX_LINE_CHARS + 64;

const LF = 0x0a;
const EMPTY = new Uint8Array(0);

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class PieceCutter {
  private carry: Uint8Array = EMPTY;
  /** The kept start of an over-long line is in `carry`; its rest is skipped up to the next LF. */
  private dropping = false;

  /**
   * The next piece (every byte up to the last LF of `chunk`, after what was carried), or null when the
   * chunk holds no LF. A piece is a new buffer of its own (it may be moved to another thread); `chunk`
   * is not kept (the caller may reuse it).
   */
  push(chunk: Uint8Array): Uint8Array | null {
    let bytes = chunk;
    if (this.dropping) {
      const lf = bytes.indexOf(LF);
      if (lf < 0) return null;
      bytes = bytes.subarray(lf);
      this.dropping = false;
    }
    const last = bytes.lastIndexOf(LF);
    if (last < 0) {
      this.carry = joined(this.carry, bytes);
      if (this.carry.length > MAX_CARRY_BYTES) {
        this.carry = this.carry.slice(0, MAX_CARRY_BYTES);
        this.dropping = true;
      }
      return null;
    }
    const piece = joined(this.carry, bytes.subarray(0, last + 1));
    this.carry = bytes.slice(last + 1);
    return piece;
  }

  /** What is left after the last LF: the file's last line when it does not end with one. */
  end(): Uint8Array {
    const rest = this.carry === EMPTY ? new Uint8Array(0) : this.carry;
    this.carry = EMPTY;
    this.dropping = false;
    return rest;
  }
}
