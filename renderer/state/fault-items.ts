// From the API's fault summaries to the list's items: times placed on one axis (the clock most faults are on;
// faults on another clock keep their place in the list but get no time on the axis), the device whose BAR
// holds the fault's IPA, the grouping keys. Pure.
import type { FaultSummary } from '../../preload/contract';
import type { ContextView } from './bundle-context';
import { esrParts, pageOf, type FaultItem } from './fault-item';

export interface FaultAxis {
  readonly clock: string | null;
  /** The first fault's time (ns, exact): t = 0 on the axis. */
  readonly origin: bigint;
  /** Span of the faults' times relative to the origin (ns). */
  readonly end: number;
}

/** The clock most timed faults use, and the span of their times. */
export function faultAxis(faults: readonly FaultSummary[]): FaultAxis {
  const counts = new Map<string, number>();
  for (const f of faults) if (f.timeNs !== null) counts.set(f.clock ?? '', (counts.get(f.clock ?? '') ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const clock = best === undefined ? null : best;
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (const f of faults) {
    if (f.timeNs === null || (f.clock ?? '') !== clock) continue;
    const t = BigInt(f.timeNs);
    if (lo === null || t < lo) lo = t;
    if (hi === null || t > hi) hi = t;
  }
  return { clock: clock === '' ? null : clock, origin: lo ?? 0n, end: lo !== null && hi !== null ? Number(hi - lo) : 0 };
}

function deviceOf(ipa: string | null, ctx: ContextView): string | null {
  if (ipa === null) return null;
  let a: bigint;
  try {
    a = BigInt(ipa);
  } catch {
    return null;
  }
  for (const d of ctx.pciDevices) {
    for (const b of d.bars) {
      try {
        const base = BigInt(b.address);
        if (a >= base && a < base + BigInt(b.size)) return d.bdf;
      } catch {
        // a BAR without a readable address holds nothing
      }
    }
  }
  return null;
}

export function toFaultItems(faults: readonly FaultSummary[], axis: FaultAxis, ctx: ContextView, label: (t: number) => string): FaultItem[] {
  return faults.map((f) => {
    const onAxis = f.timeNs !== null && (f.clock ?? null) === axis.clock;
    const t = onAxis ? Number(BigInt(f.timeNs as string) - axis.origin) : null;
    const { ec, fsc } = esrParts(f.esr);
    return {
      id: f.id,
      kind: f.kind,
      esr: f.esr,
      ec,
      fsc,
      ipa: f.ipa,
      ipaPage: pageOf(f.ipa),
      device: deviceOf(f.ipa, ctx),
      t,
      timeLabel: t === null ? (f.timeNs === null ? '—' : `(${f.clock ?? 'other clock'})`) : label(t),
      summary: f.headline,
      file: f.file,
      line: f.line,
      endLine: f.endLine,
      count: f.count,
      cpu: f.cpu,
      pid: f.pid,
      comm: f.comm,
    };
  });
}
