// From the API's fault summaries to the list's items: times placed on one axis (the clock most faults are on;
// faults on another clock keep their place in the list but get no time on the axis), the device whose BAR
// holds the fault's IPA, the grouping keys. Pure.
import type { FaultSummary } from '../../preload/contract';
import type { ContextView } from './bundle-context';
import { esrParts, pageOf, type FaultItem } from './fault-item';
import { bootOfClock, lineTimeLabel } from './line-time';

export interface FaultAxis {
  readonly clock: string | null;
  /** On an earlier boot's clock (`monotonic@-1`), the log it is of: two logs' earlier boots need not be one. */
  readonly file: string | null;
  /** The first fault's time (ns, exact): t = 0 on the axis. */
  readonly origin: bigint;
  /** Span of the faults' times relative to the origin (ns). */
  readonly end: number;
}

/** The axis a fault's time belongs on: its clock, and its log for an earlier boot's clock. */
function axisKey(f: FaultSummary): string {
  const boot = bootOfClock(f.clock);
  return boot !== null && boot < 0 ? `${f.clock}\0${f.file}` : `${f.clock ?? ''}\0`;
}

function onAxis(f: FaultSummary, axis: FaultAxis): boolean {
  return f.timeNs !== null && (f.clock ?? null) === axis.clock && (axis.file === null || f.file === axis.file);
}

/** The clock most timed faults use, and the span of their times. */
export function faultAxis(faults: readonly FaultSummary[]): FaultAxis {
  const counts = new Map<string, { n: number; f: FaultSummary }>();
  for (const f of faults) {
    if (f.timeNs === null) continue;
    const seen = counts.get(axisKey(f));
    if (seen === undefined) counts.set(axisKey(f), { n: 1, f });
    else seen.n++;
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0]?.f;
  const clock = best?.clock ?? null;
  const file = best !== undefined && (bootOfClock(best.clock) ?? 0) < 0 ? best.file : null;
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (const f of faults) {
    if (best === undefined || !onAxis(f, { clock, file, origin: 0n, end: 0 })) continue;
    const t = BigInt(f.timeNs as string);
    if (lo === null || t < lo) lo = t;
    if (hi === null || t > hi) hi = t;
  }
  return { clock, file, origin: lo ?? 0n, end: lo !== null && hi !== null ? Number(hi - lo) : 0 };
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

/**
 * The time of a fault that is not on the axis: on a since-boot clock, its boot and its time in that boot
 * (`boot -1: 122.564868`, `last boot: 7.913815`); on another clock, that clock.
 */
function offAxisLabel(f: FaultSummary): string {
  if (f.timeNs === null) return '—';
  const boot = bootOfClock(f.clock);
  if (boot === null) return `(${f.clock ?? 'other clock'})`;
  return `${boot === 0 ? 'last boot' : `boot ${boot}`}: ${lineTimeLabel(f.timeNs, f.clock)}`;
}

export function toFaultItems(faults: readonly FaultSummary[], axis: FaultAxis, ctx: ContextView, label: (t: number) => string): FaultItem[] {
  return faults.map((f) => {
    const t = onAxis(f, axis) ? Number(BigInt(f.timeNs as string) - axis.origin) : null;
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
      timeLabel: t === null ? offAxisLabel(f) : label(t),
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
