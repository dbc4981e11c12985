// Reads a trace.dat's events in time order: every CPU's pages (v6 raw, v7 raw or compressed in chunks of
// "u32 count, then u32 compressed size, u32 uncompressed size, data" per trace-cmd.dat.v7.5.txt), merged
// the way trace-cmd's tracecmd_read_next_data does (the smallest timestamp next, the lower CPU on a tie).
// The instances' buffers are merged in too, as `trace-cmd report` merges its handles (trace-read.c: the
// smallest timestamp next, the top instance, then the instances in the file's order, on a tie).
// Comms come from the saved cmdlines (libtraceevent: "<idle>" for pid 0, "<...>" when unknown), plus the
// comms that the sched_switch/sched_wakeup plugin registers as it prints (plugin_sched_switch.c
// write_and_save_comm: tep_register_comm, which never overrides a known pid).

import { err, ok, type Result } from '../../result';
import { ByteReader } from './bytes';
import { readTraceDat, type ByteSource, type CpuData, type Decompress, type EventFormatText, type TraceBuffer, type TraceDatFile } from './file';
import { parseEventFormat, parsePageHeader, type EventFormat } from './format';
import { PageCursor, type TimeBase } from './ring-buffer';
import { readFieldNumber, readFieldString, recordData } from './record';

/** One record, in a reused object: copy what you keep. */
export interface DatRecord {
  /** Timestamp in ns since `epoch` (ring-buffer.ts TimeBase: 0n unless the trace's times pass 2^52). */
  ts: number;
  epoch: bigint;
  cpu: number;
  /** The buffer it was recorded in: an index into the file's buffers (0: the top instance, when present). */
  buffer: number;
  type: number;
  pid: number;
  format: EventFormat | undefined;
  page: Uint8Array;
  /** A view over `page` (read fields at start + offset). */
  view: DataView;
  /** `page` as 32-bit words (platform order) when it starts word-aligned, else null. */
  words: Int32Array | null;
  start: number;
  end: number;
  /** Events lost just before this record on its CPU: 0 none, -1 an unknown number. */
  missed: number;
  /** 0-based position in the merged stream. */
  index: number;
}

const PAGES_PER_READ = 64;
/** Adjusted times from this far from zero count from an epoch near the first (as TimeBase's, 2^44 ns). */
const EPOCH_FROM = 2n ** 44n;
/** SQLite's largest integer: times are stored as int64 ns. */
const MAX_TIME = 2n ** 63n - 1n;
/** Entries of the comm cache (a power of two). */
const COMM_CACHE = 64;

export class TraceDatReader {
  readonly formats = new Map<number, EventFormat>();
  /** The format files as stored, by event id (what a stored record needs to be rendered later). */
  readonly formatTexts = new Map<number, EventFormatText>();
  readonly formatErrors: string[] = [];
  /** The formats by event id as an array (a lookup per record). */
  private readonly formatById: (EventFormat | undefined)[] = [];
  private readonly comms = new Map<number, string>();
  // comm() per record: a direct-mapped cache by pid before the map (records of a few threads interleave).
  private readonly commPids = new Int32Array(COMM_CACHE).fill(-1);
  private readonly commNames: string[] = new Array<string>(COMM_CACHE).fill('');
  private readonly commonType: { offset: number; size: number };
  private readonly commonPid: { offset: number };
  private readonly dataOffset: number;
  private readonly adjust: ((ts: bigint) => bigint) | null;

  private constructor(
    readonly file: TraceDatFile,
    private readonly src: ByteSource,
    private readonly decompress: Decompress,
  ) {
    for (const f of file.formats) {
      const r = parseEventFormat(f.text, f.system);
      if ('error' in r) this.formatErrors.push(`${f.system}: ${r.error}`);
      else {
        this.formats.set(r.id, r);
        this.formatById[r.id] = r;
        this.formatTexts.set(r.id, f);
      }
    }
    const any = this.formats.values().next().value as EventFormat | undefined;
    const ct = any?.byName.get('common_type');
    const cp = any?.byName.get('common_pid');
    this.commonType = { offset: ct?.offset ?? 0, size: ct?.size ?? 2 };
    this.commonPid = { offset: cp?.offset ?? 4 };
    this.dataOffset = parsePageHeader(file.headerPage).dataOffset;
    this.adjust = this.timeAdjust();
    for (const line of file.cmdlines.split('\n')) {
      // "11092 find" (saved_cmdlines: pid, space, comm to the end of the line)
      const m = /^\s*(\d+) (.*)$/.exec(line);
      if (m !== null && !this.comms.has(Number(m[1]))) this.comms.set(Number(m[1]), m[2] as string);
    }
  }

  static open(src: ByteSource, decompress: Decompress): Result<TraceDatReader> {
    const meta = readTraceDat(src, decompress);
    if (!meta.ok) return err(meta.error);
    return ok(new TraceDatReader(meta.value, src, decompress));
  }

  /**
   * Where the file ends inside the event data (a copy cut short): which CPUs of which buffers lose events,
   * or null when every CPU's data is whole. The events before the cut are read all the same.
   */
  truncation(): string | null {
    const cut = this.file.buffers.flatMap((b) =>
      b.cpus.filter((c) => c.size > 0 && c.offset + c.size > this.src.size).map((c) => `${b.name === '' ? '' : `instance ${b.name} `}CPU ${c.cpu} (${Math.max(0, this.src.size - c.offset)} of ${c.size} bytes)`),
    );
    if (cut.length === 0) return null;
    return `the file ends inside the event data of ${cut.join(', ')}: the events after the cut are missing`;
  }

  /** The comm of a pid as trace-cmd prints it. */
  comm(pid: number): string {
    if (pid === 0) return '<idle>';
    const slot = pid & (COMM_CACHE - 1);
    if (this.commPids[slot] === pid) return this.commNames[slot]!;
    const comm = this.comms.get(pid) ?? '<...>';
    this.commPids[slot] = pid;
    this.commNames[slot] = comm;
    return comm;
  }

  /** tep_register_comm: adds a pid's comm unless the pid is known. */
  registerComm(pid: number, comm: string): void {
    if (pid !== 0 && !this.comms.has(pid)) {
      this.comms.set(pid, comm);
      // The pid may be cached as unknown.
      const slot = pid & (COMM_CACHE - 1);
      if (this.commPids[slot] === pid) this.commPids[slot] = -1;
    }
  }

  /** Every record of every buffer in time order; stops early if `onRecord` returns false. */
  read(onRecord: (r: DatRecord) => boolean | void): Result<number> {
    const st = this.stream();
    if (!st.ok) return st;
    return st.value.pump(onRecord, Infinity);
  }

  /** A resumable merge over the CPUs of every buffer. */
  stream(): Result<RecordStream> {
    const le = !this.file.bigEndian;
    const cursors: (PageCursor | null)[] = [];
    const cpus: number[] = [];
    const buffers: number[] = [];
    const labels: string[] = [];
    const problems: string[] = [];
    const all: (PageCursor | null)[] = [];
    // The ring buffer's times count from an epoch near the first page's (TimeBase); times adjusted by the
    // file's options (timeAdjust) are adjusted exactly from those and count from an epoch of their own.
    const base: TimeBase = { epoch: null };
    this.file.buffers.forEach((buffer, b) => {
      for (const c of buffer.cpus) {
        if (c.size === 0) continue;
        const label = `${buffer.name === '' ? '' : `instance ${buffer.name} `}CPU ${c.cpu}`;
        // A CPU whose data cannot even start is left out; the others are read.
        let cur: PageCursor | null;
        let first = false;
        try {
          cur = new PageCursor(le, this.file.longSize, this.dataOffset, this.pages(buffer, c), base);
          first = cur.next();
        } catch (e) {
          problems.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
          cur = null;
        }
        all.push(cur);
        cursors.push(first ? cur : null);
        cpus.push(c.cpu);
        buffers.push(b);
        labels.push(label);
      }
    });
    const adjust = this.adjust;
    if (adjust === null) {
      const epoch = base.epoch ?? 0n;
      return ok(new RecordStream(cursors, all, labels, problems, (rec, c, k, index) => this.fill(rec, c, cpus[k]!, buffers[k]!, c.ts, epoch, index)));
    }
    // `trace-cmd record --date` writes an OFFSET of the wall clock's ns since 1970 (~1.7e18): the adjusted
    // times are far beyond 2^53 and count from an epoch near the first one (rounded down to 2^32 ns), as
    // TimeBase does for the ring buffer's own times.
    const ringEpoch = base.epoch ?? 0n;
    let adjEpoch: bigint | null = null;
    let clamped = false;
    return ok(
      new RecordStream(cursors, all, labels, problems, (rec, c, k, index) => {
        let v = adjust(ringEpoch + BigInt(c.ts));
        // trace-cmd's arithmetic is u64; a time beyond SQLite's int64 (a corrupt option) is clamped, said once.
        if (v > MAX_TIME || v < -MAX_TIME) {
          v = v > 0n ? MAX_TIME : -MAX_TIME;
          if (!clamped) problems.push('times adjusted by the file\'s OFFSET or TSC2NSEC option pass 2^63 ns: they were clamped there');
          clamped = true;
        }
        adjEpoch ??= v >= EPOCH_FROM || v <= -EPOCH_FROM ? (v >> 32n) << 32n : 0n;
        this.fill(rec, c, cpus[k]!, buffers[k]!, Number(v - adjEpoch), adjEpoch, index);
      }),
    );
  }

  /** `ts`: the record's time in ns since `epoch`. */
  private fill(rec: DatRecord, c: PageCursor, cpu: number, buffer: number, ts: number, epoch: bigint, index: number): void {
    const page = c.page;
    const view = c.pageView;
    const le = !this.file.bigEndian;
    const len = c.dataEnd - c.dataStart;
    rec.ts = ts;
    rec.epoch = epoch;
    rec.cpu = cpu;
    rec.buffer = buffer;
    const at = c.dataStart;
    rec.type = len >= this.commonType.offset + 2 ? (this.commonType.size === 1 ? view.getUint8(at + this.commonType.offset) : view.getUint16(at + this.commonType.offset, le)) : -1;
    rec.pid = len >= this.commonPid.offset + 4 ? view.getInt32(at + this.commonPid.offset, le) : 0;
    rec.format = rec.type >= 0 ? this.formatById[rec.type] : undefined;
    rec.page = page;
    rec.view = view;
    rec.words = c.pageWords;
    rec.start = c.dataStart;
    rec.end = c.dataEnd;
    rec.missed = c.missed;
    rec.index = index;
  }

  /**
   * OFFSET and TSC2NSEC options, applied to every timestamp as trace-cmd 3.1.6 does (trace-input.c
   * timestamp_calc: `ts = mul_u64_u32_shr(ts, mult, shift)` where mult is not 0, then `ts += ts_offset`;
   * the option's own offset field is read there but not added), exactly.
   */
  private timeAdjust(): ((ts: bigint) => bigint) | null {
    const { offsetNs, tsc2nsec } = this.file;
    const scale = tsc2nsec !== null && tsc2nsec.mult !== 0 ? tsc2nsec : null;
    if (offsetNs === 0n && scale === null) return null;
    return (ts) => (scale === null ? ts : (ts * BigInt(scale.mult)) >> BigInt(scale.shift)) + offsetNs;
  }

  /** A CPU's pages, read in blocks (raw) or chunk by chunk (compressed). */
  private pages(buffer: TraceBuffer, c: CpuData): () => Uint8Array | null {
    const pageSize = buffer.pageSize;
    const le = !this.file.bigEndian;
    let block: Uint8Array = new Uint8Array(0);
    let at = 0;
    if (!buffer.compressed) {
      let offset = c.offset;
      const end = c.offset + c.size;
      return () => {
        if (at + pageSize > block.length) {
          // A page cut by the end of the file: what there is of it (the cursor reads its whole events).
          if (at < block.length) {
            const tail = block.subarray(at);
            at = block.length;
            return tail;
          }
          if (offset >= end) return null;
          const n = Math.min(end - offset, pageSize * PAGES_PER_READ);
          block = this.src.read(offset, n);
          offset += n;
          at = 0;
          if (block.length === 0) return null;
        }
        const p = block.subarray(at, at + pageSize);
        at += pageSize;
        return p;
      };
    }
    const head = new ByteReader(this.src.read(c.offset, 4), le);
    let chunks = head.u32();
    let offset = c.offset + 4;
    const algo = this.file.compression?.name ?? 'none';
    return () => {
      while (at + pageSize > block.length) {
        if (chunks === 0) return null;
        chunks--;
        const h = new ByteReader(this.src.read(offset, 8), le);
        const csize = h.u32();
        const usize = h.u32();
        block = this.decompress(algo, this.src.read(offset + 8, csize), usize);
        offset += 8 + csize;
        at = 0;
      }
      const p = block.subarray(at, at + pageSize);
      at += pageSize;
      return p;
    };
  }

  /** Registers the comms sched_switch / sched_wakeup(_new) name, as their report plugin does when printing. */
  notePluginComms(rec: DatRecord): void {
    const f = rec.format;
    if (f === undefined || f.system !== 'sched') return;
    const r = recordData(rec.page.subarray(rec.start, rec.end), !this.file.bigEndian, this.file.longSize);
    const reg = (commField: string, pidField: string): void => {
      const cf = f.byName.get(commField);
      const pf = f.byName.get(pidField);
      if (cf !== undefined && pf !== undefined) this.registerComm(Number(readFieldNumber(r, pf)), readFieldString(r, cf));
    };
    if (f.name === 'sched_switch') {
      reg('prev_comm', 'prev_pid');
      reg('next_comm', 'next_pid');
    } else if (f.name === 'sched_wakeup' || f.name === 'sched_wakeup_new') reg('comm', 'pid');
  }
}

/** The merged records of every buffer, read a batch at a time (trace-cmd's order, see the top). */
export class RecordStream {
  private index = 0;
  private readonly rec: DatRecord = { ts: 0, epoch: 0n, cpu: 0, buffer: 0, type: 0, pid: 0, format: undefined, page: new Uint8Array(0), view: new DataView(new ArrayBuffer(0)), words: null, start: 0, end: 0, missed: 0, index: 0 };

  private readonly heads: Float64Array;

  constructor(
    private readonly cursors: (PageCursor | null)[],
    /** Every cursor, also those done or empty from the start (their damaged pages are counted at the end). */
    private readonly all: readonly (PageCursor | null)[],
    /** What each cursor reads, for messages: "CPU 1", "instance kvm CPU 1". */
    private readonly labels: readonly string[],
    /** CPUs whose data failed, each named: the merge goes on without them. */
    private readonly failed: string[],
    /** Fills `rec` from cursor `k` (the k-th CPU of the merge: buffers in order, each buffer's CPUs in order). */
    private readonly fill: (rec: DatRecord, c: PageCursor, k: number, index: number) => void,
  ) {
    this.heads = Float64Array.from(cursors, (c) => (c === null ? Infinity : c.ts));
  }

  /**
   * What could not be read, per CPU: data that failed (that CPU's later events are missing) and pages
   * whose events ran past their data (skipped from there). Empty when everything was read.
   */
  get problems(): string[] {
    const out = [...this.failed];
    this.all.forEach((c, k) => {
      if (c !== null && c.damagedPages > 0) out.push(`${this.labels[k]}: ${c.damagedPages} page${c.damagedPages > 1 ? 's' : ''} with events past the page's data (the rest of each page skipped)`);
    });
    return out;
  }

  /** Reads up to `max` records (fewer at the end, or when `onRecord` returns false); returns how many. */
  pump(onRecord: (r: DatRecord) => boolean | void, max: number): Result<number> {
    const cursors = this.cursors;
    // Each cursor's current timestamp side by side (Infinity once it is done): the scan for the smallest
    // reads one array instead of a property of every cursor, once per record.
    const heads = this.heads;
    let n = 0;
    try {
      while (n < max) {
        let best = -1;
        let bestTs = Infinity;
        for (let i = 0; i < heads.length; i++) {
          if (heads[i]! < bestTs) {
            best = i;
            bestTs = heads[i]!;
          }
        }
        if (best === -1) break;
        const c = cursors[best]!;
        this.fill(this.rec, c, best, this.index++);
        n++;
        const go = onRecord(this.rec);
        let more: boolean;
        try {
          more = c.next();
        } catch (e) {
          // This CPU's data is corrupt beyond repair: it ends here, the other CPUs and buffers go on.
          this.failed.push(`${this.labels[best]}: ${e instanceof Error ? e.message : String(e)} (after ${this.index} events in all)`);
          more = false;
        }
        if (more) heads[best] = c.ts;
        else {
          cursors[best] = null;
          heads[best] = Infinity;
        }
        if (go === false) break;
      }
    } catch (e) {
      return err(`corrupt trace data after ${this.index} events: ${e instanceof Error ? e.message : String(e)}`);
    }
    return ok(n);
  }
}
