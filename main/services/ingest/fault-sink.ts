// Where importers' fault records go: buffered per file, written in one transaction, and checked against
// the other files of the bundle. A support bundle holds the same kernel messages several times (dmesg,
// var/log/kern.log, var/log/messages, the journal): a fault already stored from another file becomes an
// `also_in` reference on the first record rather than a second record. After the load every ESR is
// decoded once (main/core/esr) and stored with its record.
import { decodeEsr, esrToJson, type EsrContext } from '../../core/esr';
import type { FaultRecord } from '../../core/ingest/fault-record';
import { faultsToDecode, insertFaults, setFaultDecodes, updateFaultExtra, type FaultInsert } from '../../storage/faults';
import type { Db } from '../../storage/db';

interface Stored {
  readonly fileId: number;
  readonly record: FaultRecord;
  id: number | null;
  readonly claimedBy: Set<number>;
  readonly alsoIn: string[];
}

const SAME_CLOCK_WINDOW_NS = 1_000_000_000n;
const hex = (v: bigint | null): string => (v === null ? '-' : v.toString(16));

/** Records that say who and where (a syndrome or an address, and a task or CPU) can be matched across files. */
function identity(r: FaultRecord): string | null {
  if (r.esr === null && r.far === null && r.pc === null) return null;
  return [r.kind, hex(r.esr), hex(r.far), hex(r.ipa), hex(r.pc), r.cpu ?? '-', r.pid ?? '-', r.comm ?? '-', String(r.extra.oops ?? '-')].join('|');
}

function timesCompatible(a: FaultRecord, b: FaultRecord): boolean {
  if (a.timeNs === null || b.timeNs === null || a.extra.clock !== b.extra.clock) return true;
  const d = a.timeNs - b.timeNs;
  return (d < 0n ? -d : d) <= SAME_CLOCK_WINDOW_NS;
}

export class FaultSink {
  private readonly pending: { fileId: number; record: FaultRecord; count: number; firstNs: bigint | null; lastNs: bigint | null; stored: Stored | null }[] = [];
  private readonly byIdentity = new Map<string, Stored[]>();
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
    if (key !== null) {
      const candidates = this.byIdentity.get(key) ?? [];
      const original = candidates.find((s) => s.fileId !== fileId && !s.claimedBy.has(fileId) && timesCompatible(s.record, record));
      if (original !== undefined) {
        original.claimedBy.add(fileId);
        original.alsoIn.push(`${record.source.file}:${record.source.line}`);
        this.duplicates++;
        return false;
      }
    }
    const stored: Stored | null = key === null ? null : { fileId, record, id: null, claimedBy: new Set(), alsoIn: [] };
    if (key !== null && stored !== null) this.byIdentity.set(key, [...(this.byIdentity.get(key) ?? []), stored]);
    this.pending.push({ fileId, record, count: group?.count ?? 1, firstNs: group?.firstNs ?? null, lastNs: group?.lastNs ?? null, stored });
    this.stored++;
    if (this.pending.length >= 1000) this.flush();
    return true;
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

  /** After the last file: `also_in` references, then the ESR decodes. */
  finish(): void {
    this.flush();
    for (const list of this.byIdentity.values()) {
      for (const s of list) {
        if (s.alsoIn.length === 0 || s.id === null) continue;
        updateFaultExtra(this.db, s.id, JSON.stringify({ ...s.record.extra, also_in: s.alsoIn }));
      }
    }
    decodeBundleEsrs(this.db, this.bundleId);
  }
}

function big(hexText: string | null): bigint | undefined {
  return hexText === null ? undefined : BigInt(hexText);
}

/** Decodes every stored ESR of a bundle that has no decode yet (context: EL, FAR, HPFAR, kernel). */
export function decodeBundleEsrs(db: Db, bundleId: number): number {
  const todo = faultsToDecode(db, bundleId);
  const out = todo.map((f) => {
    const extra = JSON.parse(f.extraJson) as Record<string, unknown>;
    const ctx: { -readonly [K in keyof EsrContext]: EsrContext[K] } = {};
    if (f.el === 1 || f.el === 2) ctx.el = f.el;
    const far = big(f.far);
    if (far !== undefined) ctx.far = far;
    const hpfar = typeof extra.hpfar === 'string' ? big(extra.hpfar) : undefined;
    if (hpfar !== undefined) ctx.hpfar = hpfar;
    if (f.kernel !== null) ctx.kernel = f.kernel;
    return { id: f.id, json: JSON.stringify(esrToJson(decodeEsr(BigInt(f.esr), ctx))) };
  });
  setFaultDecodes(db, out);
  return out.length;
}
