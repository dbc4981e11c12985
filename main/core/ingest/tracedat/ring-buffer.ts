// One CPU's ring-buffer pages, event by event (the kernel's kernel/trace/ring_buffer.c layout as
// libtraceevent's src/kbuffer-parse.c reads it):
//  - page: u64 timestamp, then `commit` (a long: 4 or 8 bytes) whose low 27 bits are the data size; bit 31
//    = events were lost before this page, bit 30 = their count is stored after the data (a long);
//  - event header: u32 with type_len (5 bits) and time_delta (27 bits), low bits first in little-endian
//    files, high bits first in big-endian ones;
//  - type_len 1-28: data of type_len*4 bytes follows; 0: the next u32 is the length (+4), data after it;
//    29 padding (skip u32 bytes); 30 time extend (delta += u32 << 27); 31 absolute timestamp
//    (u32 << 27 | delta, top 5 bits from the current time).

const COMMIT_MASK = (1 << 27) - 1;
const MISSING_EVENTS = 0x80000000 | 0;
const MISSING_STORED = 0x40000000;
const TS_SHIFT_MUL = 2 ** 27;
const TYPE_PADDING = 29;
const TYPE_TIME_EXTEND = 30;
const TYPE_TIME_STAMP = 31;
/** The top 5 bits of a 64-bit timestamp, which an absolute time stamp event does not carry. */
const TS_MSB_DIV = 2 ** 59;

/**
 * Where the timestamps of one stream's cursors count from (one per stream, shared by its CPUs). A double
 * holds integers exactly only below 2^53 ns (104 days), and a host up longer writes page timestamps beyond:
 * a stream whose first page is stamped after EPOCH_FROM counts from an epoch near it (that time rounded
 * down to 2^32 ns), so that its timestamps stay exact for the next hundred days. Null until the first page
 * is read; 0n: times count from zero, as the file gives them.
 */
export interface TimeBase {
  epoch: bigint | null;
}

/** 2^44 ns, about 4.9 hours of uptime: below, times count from zero as before. */
const EPOCH_FROM = 2n ** 44n;

/** A cursor over the events of a sequence of pages (one CPU). */
export class PageCursor {
  /** The current event: timestamp in ns since the stream's epoch (TimeBase), its data in `page`. */
  ts = 0;
  dataStart = 0;
  dataEnd = 0;
  page: Uint8Array = new Uint8Array(0);
  /** Events lost before the current event's page: 0 none, -1 an unknown number (set on its first event). */
  missed = 0;
  /**
   * Pages whose events run past the page's data (a corrupt page, or the last page of a file cut short):
   * their events from there on are skipped, none is read in part.
   */
  damagedPages = 0;

  private view: DataView = new DataView(new ArrayBuffer(0));
  private words: Int32Array | null = null;
  private pos = 0;
  private end = 0;
  private firstOfPage = false;
  private pageMissed = 0;

  constructor(
    private readonly littleEndian: boolean,
    private readonly longSize: 4 | 8,
    /** Header layout from header_page: data starts after timestamp + commit. */
    private readonly dataOffset: number,
    /** Returns the next page (a view of pageSize bytes), or null at the end of this CPU's data. */
    private readonly nextPage: () => Uint8Array | null,
    /** The stream's epoch; by default times count from zero. */
    private readonly base: TimeBase = { epoch: 0n },
  ) {}

  /** A view over `page` (the current event's page). */
  get pageView(): DataView {
    return this.view;
  }

  /** `page` as 32-bit words in the platform's order, when it starts word-aligned; else null. */
  get pageWords(): Int32Array | null {
    return this.words;
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.littleEndian);
  }

  private u64(at: number): number {
    const lo = this.view.getUint32(at + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(at + (this.littleEndian ? 4 : 0), this.littleEndian);
    return hi * 4294967296 + lo;
  }

  private u64Big(at: number): bigint {
    return this.view.getBigUint64(at, this.littleEndian);
  }

  /** The page's timestamp since the epoch (which the stream's first page decides). */
  private pageTime(): number {
    const b = this.base;
    if (b.epoch === 0n) return this.u64(0);
    const t = this.u64Big(0);
    b.epoch ??= t >= EPOCH_FROM ? (t >> 32n) << 32n : 0n;
    return Number(t - b.epoch);
  }

  private long(at: number): number {
    return this.longSize === 8 ? this.u64(at) : this.u32(at);
  }

  private loadPage(): boolean {
    for (;;) {
      const p = this.nextPage();
      if (p === null) return false;
      if (p.length < this.dataOffset) continue;
      this.page = p;
      this.view = new DataView(p.buffer, p.byteOffset, p.byteLength);
      this.words = p.byteOffset % 4 === 0 ? new Int32Array(p.buffer, p.byteOffset, p.byteLength >> 2) : null;
      // The flags live in the low 32 bits of the commit word, whatever the long size.
      const commit = this.longSize === 8 ? this.view.getUint32(8 + (this.littleEndian ? 0 : 4), this.littleEndian) : this.u32(8);
      const size = commit & COMMIT_MASK;
      this.pageMissed = 0;
      if ((commit & MISSING_EVENTS) !== 0) {
        const at = this.dataOffset + size;
        this.pageMissed = (commit & MISSING_STORED) !== 0 && at + this.longSize <= p.length ? this.long(at) : -1;
      }
      this.pos = this.dataOffset;
      this.end = Math.min(this.dataOffset + size, p.length);
      this.firstOfPage = true;
      // Only a page with data sets the time (and, the stream's first, its epoch): an empty page's stamp
      // may be anything, 0 included.
      if (this.pos < this.end) {
        this.ts = this.pageTime();
        return true;
      }
    }
  }

  /** The rest of the current page cannot be read: skipped, and counted. */
  private damaged(): void {
    this.damagedPages++;
    this.pos = this.end;
  }

  /** Advances to the next data event; false at the end of the CPU's data. */
  next(): boolean {
    for (;;) {
      if (this.pos >= this.end && !this.loadPage()) return false;
      while (this.pos + 4 <= this.end) {
        const h = this.u32(this.pos);
        const typeLen = this.littleEndian ? h & 31 : h >>> 27;
        const delta = this.littleEndian ? h >>> 5 : h & COMMIT_MASK;
        const body = this.pos + 4;
        let length: number;
        let data = body;
        switch (typeLen) {
          case TYPE_PADDING:
            this.ts += delta;
            length = body + 4 <= this.page.length ? this.u32(body) : this.end;
            this.pos = body + length;
            continue;
          case TYPE_TIME_EXTEND:
            if (body + 4 > this.end) {
              this.damaged();
              continue;
            }
            this.ts += this.u32(body) * TS_SHIFT_MUL + delta;
            this.pos = body + 4;
            continue;
          case TYPE_TIME_STAMP: {
            if (body + 4 > this.end) {
              this.damaged();
              continue;
            }
            const epoch = this.base.epoch ?? 0n;
            if (epoch === 0n) {
              const msb = Math.floor(this.ts / TS_MSB_DIV) * TS_MSB_DIV;
              this.ts = this.u32(body) * TS_SHIFT_MUL + delta + msb;
            } else {
              const msb = ((epoch + BigInt(this.ts)) >> 59n) << 59n;
              this.ts = Number(BigInt(this.u32(body)) * BigInt(TS_SHIFT_MUL) + BigInt(delta) + msb - epoch);
            }
            this.pos = body + 4;
            continue;
          }
          case 0:
            if (body + 4 > this.end) {
              this.damaged();
              continue;
            }
            length = ((this.u32(body) - 4 + 3) & ~3) >>> 0;
            data = body + 4;
            break;
          default:
            length = typeLen * 4;
        }
        // Events are whole inside the page's data (ring_buffer.c: a page is committed event by event).
        if (data + length > this.end) {
          this.damaged();
          continue;
        }
        this.ts += delta;
        this.dataStart = data;
        this.dataEnd = data + length;
        this.pos = data + length;
        this.missed = this.firstOfPage ? this.pageMissed : 0;
        this.firstOfPage = false;
        return true;
      }
      this.pos = this.end;
    }
  }
}
