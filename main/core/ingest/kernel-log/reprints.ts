// The bookkeeping of the fault records' dedup (the rules are dedup.ts): each record of a log is held while
// the next DEDUP_WINDOW are read, so that a re-print of it merges into it instead of making a second record.
// The copy kept is the one that knows more; a record released after re-prints says how many (`reprinted`).
import type { FaultRecord } from '../fault-record';
import type { AssemblerOutput } from './assembler';
import { fillFrom, fullerCopy, sameFault, type Printed } from './dedup';

const DEDUP_WINDOW = 64;

export class ReprintMerger {
  private readonly recent: Printed[] = [];
  private readonly reprints = new Map<FaultRecord, number>();

  constructor(private readonly out: AssemblerOutput) {}

  /** A record as printed: merged into the one it re-prints (it is then reported as a duplicate), else held. */
  add(printed: Printed): void {
    const record = printed.record;
    const at = this.recent.findIndex((r) => sameFault(r, printed));
    if (at >= 0) {
      const earlier = this.recent[at]!;
      // The copy kept is the one that knows more (a repeated chunk can be cut short): dedup.ts fullerCopy;
      // a panic keeps its own record, what it lacks taken from its echo.
      const kept = printed.echo && !earlier.echo ? fillFrom(earlier.record, record) : fullerCopy(earlier.record, record);
      // Both copies' lines: a third copy may repeat either.
      this.recent[at] = { ...earlier, record: kept, lines: new Set([...earlier.lines, ...printed.lines]) };
      this.reprints.set(kept, (this.reprints.get(earlier.record) ?? 0) + 1);
      if (kept !== earlier.record) this.reprints.delete(earlier.record);
      this.out.diagnostic('fault-duplicate', record.source.line, `the ${record.kind} of line ${earlier.record.source.line} printed again`);
      return;
    }
    this.recent.push(printed);
    if (this.recent.length > DEDUP_WINDOW) this.release(this.recent.shift()!.record);
  }

  private release(record: FaultRecord): void {
    const n = this.reprints.get(record);
    if (n === undefined) {
      this.out.fault(record);
      return;
    }
    this.reprints.delete(record);
    this.out.fault({ ...record, extra: { ...record.extra, reprinted: n } });
  }

  /** The log ended: every record held is released, in order. */
  flush(): void {
    for (const r of this.recent.splice(0)) this.release(r.record);
  }
}
