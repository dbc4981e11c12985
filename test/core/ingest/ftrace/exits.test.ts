// ExitPairer (one reused object per thread) against the plain model of the pairing rule it implements
// (arch/arm64/kvm/arm.c: on one vCPU thread kvm_exit and kvm_entry alternate; an exit without its entry,
// a second exit, or an entry before its exit in time are unpaired): the same statistics in the same order,
// the same host times returned, the same unpaired count, on any interleaving of threads and events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExitPairer, type ExitStats } from '../../../../main/core/ingest/ftrace/exits';

type Ev = { exit: true; tid: number; ts: number; ret: string; ec: number } | { exit: false; tid: number; ts: number };

function model(events: readonly Ev[]): { returned: number[]; stats: ExitStats[]; unpaired: number } {
  const open = new Map<number, { ts: number; ret: string; ec: number }>();
  const stats = new Map<number, Map<string, ExitStats>>();
  const returned: number[] = [];
  let unpaired = 0;
  for (const e of events) {
    if (e.exit) {
      if (open.has(e.tid)) unpaired++;
      open.set(e.tid, { ts: e.ts, ret: e.ret, ec: e.ec });
      continue;
    }
    const o = open.get(e.tid);
    if (o === undefined) {
      returned.push(0);
      continue;
    }
    open.delete(e.tid);
    const ns = e.ts - o.ts;
    if (ns < 0) {
      unpaired++;
      returned.push(0);
      continue;
    }
    returned.push(ns);
    const per = stats.get(e.tid) ?? stats.set(e.tid, new Map()).get(e.tid)!;
    const k = `${o.ret}/${o.ec}`;
    const s = per.get(k) ?? per.set(k, { tid: e.tid, ret: o.ret, esrEc: o.ec, ecName: `EC${o.ec}`, count: 0, totalNs: 0, minNs: ns, maxNs: ns }).get(k)!;
    s.count++;
    s.totalNs += ns;
    s.minNs = Math.min(s.minNs, ns);
    s.maxNs = Math.max(s.maxNs, ns);
  }
  return { returned, stats: [...stats.values()].flatMap((m) => [...m.values()]), unpaired: unpaired + open.size };
}

describe('ExitPairer', () => {
  it('pairs as the plain model does', () => {
    const ev = fc.oneof(
      fc.record({ exit: fc.constant(true as const), tid: fc.integer({ min: 1, max: 4 }), ts: fc.integer({ min: 0, max: 1000 }), ret: fc.constantFrom('TRAP', 'IRQ', 'hyp'), ec: fc.constantFrom(0x18, 0x24, 0x01) }),
      fc.record({ exit: fc.constant(false as const), tid: fc.integer({ min: 1, max: 4 }), ts: fc.integer({ min: 0, max: 1000 }) }),
    );
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 200 }), (events) => {
        const p = new ExitPairer();
        const returned: number[] = [];
        for (const e of events) {
          if (e.exit) p.exit(e.tid, e.ts, e.ret, e.ec, `EC${e.ec}`);
          else returned.push(p.entry(e.tid, e.ts));
        }
        const got = p.finish();
        expect({ returned, stats: got.stats, unpaired: got.unpaired }).toEqual(model(events));
      }),
      { numRuns: 500 },
    );
  });
});
