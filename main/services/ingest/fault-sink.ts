// Where importers' fault records go: buffered per file, written in one transaction, and checked against
// the other files of the bundle. A support bundle holds the same kernel messages several times (dmesg,
// var/log/kern.log, var/log/messages, the journal): a fault already stored from another file becomes an
// `also_in` reference on the first record rather than a second record. After the load every ESR is
// decoded once (main/core/esr) and stored with its record.
import { decodeEsr, esrToJson, type EsrContext } from '../../core/esr';
import type { FaultRecord } from '../../core/ingest/fault-record';
import { bootOf, earlierBootClock, MONOTONIC } from '../../core/ingest/boot-clock';
import { deleteFileFaults, faultExtra, faultsToDecode, insertFaults, placeEarlierBoots, setFaultDecodes, updateFaultExtra, type FaultInsert, type FaultToDecode } from '../../storage/faults';
import type { Db } from '../../storage/db';

/** What cross-file matching needs of a stored record (not the record: a bundle may hold many faults). */
interface Stored {
  readonly fileId: number;
  readonly timeNs: bigint | null;
  clock: unknown;
  /** The boot of its file the record was read in, from the file's first (FaultAssembler): 0 if one. */
  readonly boot: number;
  id: number | null;
  claimedBy: Set<number> | null;
  alsoIn: string[] | null;
}

/**
 * How far apart two copies of one message may be stamped on the same clock. A wall clock is the time a
 * logger received the message (journald, rsyslog), which lags the kernel's by up to about a second under
 * load. The monotonic clock is the kernel's own printk time wherever a bundle shows it (dmesg's
 * `[  412.883121]`, a console's, the journal's _SOURCE_MONOTONIC_TIMESTAMP and journalctl -o
 * short-monotonic, which prints that field): copies carry the same microsecond. Only when both stamps
 * have that precision is the window that narrow: a storm of one fault split over rotated files
 * (kern.log.1 and kern.log, the journal's rotated files) keeps each record, instead of taking those within
 * a second of the other file's for copies.
 */
const SAME_CLOCK_WINDOW_NS = 1_000_000_000n;
const SAME_PRINTK_STAMP_WINDOW_NS = 1_000n;
const MS = 1_000_000n;
const hex = (v: bigint | null): string => (v === null ? '-' : v.toString(16));

/** Records that say who and where (a syndrome or an address, and a task or CPU) can be matched across files. */
function identity(r: FaultRecord): string | null {
  if (r.esr === null && r.far === null && r.pc === null) return null;
  return [r.kind, hex(r.esr), hex(r.far), hex(r.ipa), hex(r.pc), r.cpu ?? '-', r.pid ?? '-', r.comm ?? '-', String(r.extra.oops ?? '-')].join('|');
}

const clockText = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function timesCompatible(a: Stored, b: FaultRecord): boolean {
  // Two boots' since-boot clocks are two different clocks, but the same fault message in two boots is two
  // faults: a kernel thread or an early process has the same PID at every boot.
  if (a.clock !== b.extra.clock && bootOf(clockText(a.clock)) !== null && bootOf(clockText(b.extra.clock)) !== null) return false;
  if (a.timeNs === null || b.timeNs === null || a.clock !== b.extra.clock) return true;
  const d = a.timeNs - b.timeNs;
  // Sub-millisecond digits on both: printed to the microsecond (a stamp that happens to fall on a whole
  // millisecond, 1 in 1000, gets the wide window).
  const exact = a.clock === 'monotonic' && a.timeNs % MS !== 0n && b.timeNs % MS !== 0n;
  return (d < 0n ? -d : d) <= (exact ? SAME_PRINTK_STAMP_WINDOW_NS : SAME_CLOCK_WINDOW_NS);
}

export class FaultSink {
  private readonly pending: { fileId: number; record: FaultRecord; count: number; firstNs: bigint | null; lastNs: bigint | null; stored: Stored | null }[] = [];
  private readonly byIdentity = new Map<string, Stored[]>();
  /** Per identity and file: where the search for that file's next match resumes (keeps matching linear). */
  private readonly cursors = new Map<string, number>();
  private stored = 0;
  private duplicates = 0;

  constructor(
    private readonly db: Db,
    private readonly bundleId: number,
  ) {}

  get count(): number {
    return this.stored;
  }

  get duplicateCount(): number {
    return this.duplicates;
  }

  /** Takes one record (or a group of `count` identical trace faults); false when it was a duplicate. */
  add(fileId: number, record: FaultRecord, group?: { count: number; firstNs: bigint | null; lastNs: bigint | null }): boolean {
    const key = group === undefined ? identity(record) : null;
    if (key !== null && this.matchOriginal(key, fileId, record)) {
      this.duplicates++;
      return false;
    }
    const stored: Stored | null = key === null ? null : { fileId, timeNs: record.timeNs, clock: record.extra.clock, boot: typeof record.extra.boot === 'number' ? record.extra.boot : 0, id: null, claimedBy: null, alsoIn: null };
    if (key !== null && stored !== null) {
      const list = this.byIdentity.get(key);
      if (list === undefined) this.byIdentity.set(key, [stored]);
      else list.push(stored);
    }
    this.pending.push({ fileId, record, count: group?.count ?? 1, firstNs: group?.firstNs ?? null, lastNs: group?.lastNs ?? null, stored });
    this.stored++;
    if (this.pending.length >= 1000) this.flush();
    return true;
  }

  /**
   * The n-th record of an identity in a file matches the first not yet matched one of another file, in
   * order (both files print a host's faults in time order), when their times agree.
   */
  private matchOriginal(key: string, fileId: number, record: FaultRecord): boolean {
    const list = this.byIdentity.get(key);
    if (list === undefined) return false;
    const cursorKey = `${key}\0${fileId}`;
    let from = this.cursors.get(cursorKey) ?? 0;
    // Records of this file, and those it already matched, can never match a record of it: the search
    // starts after the run of them (a storm of one fault in one file made every search start over, and
    // 100,000 records took 15 s).
    while (from < list.length && (list[from]!.fileId === fileId || list[from]!.claimedBy?.has(fileId) === true)) from++;
    this.cursors.set(cursorKey, from);
    for (let i = from; i < list.length; i++) {
      const s = list[i]!;
      if (s.fileId === fileId || s.claimedBy?.has(fileId) || !timesCompatible(s, record)) continue;
      (s.claimedBy ??= new Set()).add(fileId);
      (s.alsoIn ??= []).push(`${record.source.file}:${record.source.line}`);
      this.cursors.set(cursorKey, i + 1);
      return true;
    }
    return false;
  }

  /** Writes buffered records (one transaction). */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows: FaultInsert[] = this.pending.map((p) => ({ bundleId: this.bundleId, fileId: p.fileId, record: p.record, count: p.count, firstNs: p.firstNs, lastNs: p.lastNs }));
    const ids = insertFaults(this.db, rows);
    this.pending.forEach((p, i) => {
      if (p.stored !== null) p.stored.id = ids[i]!;
    });
    this.pending.length = 0;
  }

  /**
   * Takes back the trace fault groups of a file found to repeat another's (they are never matched as
   * copies, so no other record refers to them); returns how many.
   */
  dropTraceGroups(fileId: number): number {
    this.flush();
    const n = deleteFileFaults(this.db, fileId);
    this.stored -= n;
    return n;
  }

  /**
   * A file's records span `last` + 1 boots: those of its earlier boots go on their boot's clock (stored,
   * and for matching the files after it). Call when the file's records are all added.
   */
  placeBoots(fileId: number, last: number): void {
    if (last <= 0) return;
    this.flush();
    placeEarlierBoots(this.db, fileId, last);
    for (const list of this.byIdentity.values()) {
      for (const s of list) if (s.fileId === fileId && s.clock === MONOTONIC && s.boot < last) s.clock = earlierBootClock(last - s.boot);
    }
  }

  /** After the last file: `also_in` references, then the ESR decodes. */
  finish(): void {
    this.flush();
    for (const list of this.byIdentity.values()) {
      for (const s of list) {
        if (s.alsoIn === null || s.id === null) continue;
        const extra = JSON.parse(faultExtra(this.db, s.id) ?? '{}') as Record<string, unknown>;
        updateFaultExtra(this.db, s.id, JSON.stringify({ ...extra, also_in: s.alsoIn }));
      }
    }
    this.byIdentity.clear();
    this.cursors.clear();
  }
}

function big(hexText: string | null): bigint | undefined {
  return hexText === null ? undefined : BigInt(hexText);
}

const DECODE_PAGE = 2000;

/**
 * Decodes every stored ESR of a bundle that has no decode yet (context: EL, FAR, HPFAR, kernel), a page
 * at a time (memory stays flat), decoding each distinct (ESR, context) once.
 */
export function decodeBundleEsrs(db: Db, bundleId: number): number {
  const cache = new Map<string, string>();
  let done = 0;
  let after = 0;
  for (let page = faultsToDecode(db, bundleId, after, DECODE_PAGE); page.length > 0; page = faultsToDecode(db, bundleId, after, DECODE_PAGE)) {
    after = page[page.length - 1]!.id;
    const out = page.map((f) => {
      const key = `${f.esr}|${f.el}|${f.far}|${f.kernel}|${f.extraJson.includes('"hpfar"') ? f.extraJson : ''}`;
      let json = cache.get(key);
      if (json === undefined) {
        json = decodeOne(f);
        if (cache.size > 10_000) cache.clear();
        cache.set(key, json);
      }
      return { id: f.id, json };
    });
    setFaultDecodes(db, out);
    done += out.length;
  }
  return done;
}

function decodeOne(f: FaultToDecode): string {
  const extra = JSON.parse(f.extraJson) as Record<string, unknown>;
  const ctx: { -readonly [K in keyof EsrContext]: EsrContext[K] } = {};
  if (f.el === 1 || f.el === 2) ctx.el = f.el;
  const far = big(f.far);
  if (far !== undefined) ctx.far = far;
  const hpfar = typeof extra.hpfar === 'string' ? big(extra.hpfar) : undefined;
  if (hpfar !== undefined) ctx.hpfar = hpfar;
  if (f.kernel !== null) ctx.kernel = f.kernel;
  return JSON.stringify(esrToJson(decodeEsr(BigInt(f.esr), ctx)));
}
