// From the API's fault summaries to the list's items: times placed on one axis (the clock most faults are on,
// or another the user picks; faults on another clock keep their place in the list but get no time on it), the device whose BAR
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

/** One axis the faults' times can be placed on: a clock (and for an earlier boot's, its log). */
export interface AxisChoice {
  /** Stands for the axis in the selection (BundleSelection.axis). */
  readonly key: string;
  readonly clock: string | null;
  readonly file: string | null;
  /** Timed faults on it. */
  readonly count: number;
}

/** The axis a fault's time belongs on: its clock, and its log for an earlier boot's clock. */
function axisOf(f: FaultSummary): { key: string; clock: string | null; file: string | null } {
  const boot = bootOfClock(f.clock);
  const file = boot !== null && boot < 0 ? f.file : null;
  return { key: `${f.clock ?? ''}|${file ?? ''}`, clock: f.clock ?? null, file };
}

function onAxis(f: FaultSummary, axis: { clock: string | null; file: string | null }): boolean {
  return f.timeNs !== null && (f.clock ?? null) === axis.clock && (axis.file === null || f.file === axis.file);
}

/** Every axis the timed faults are on, the one most are on first. */
export function faultAxes(faults: readonly FaultSummary[]): AxisChoice[] {
  const counts = new Map<string, { clock: string | null; file: string | null; count: number }>();
  for (const f of faults) {
    if (f.timeNs === null) continue;
    const a = axisOf(f);
    const seen = counts.get(a.key);
    if (seen === undefined) counts.set(a.key, { clock: a.clock, file: a.file, count: 1 });
    else seen.count++;
  }
  return [...counts].map(([key, c]) => ({ key, ...c })).sort((a, b) => b.count - a.count);
}

/** The axis `key` (faultAxes), else the one most timed faults are on, with the span of its faults' times. */
export function faultAxis(faults: readonly FaultSummary[], key: string | null = null): FaultAxis {
  return placeAxis(faults, pickAxis(faultAxes(faults), key));
}

/** The choice `key` among `choices`, else the first (the axis most faults are on). */
export function pickAxis(choices: readonly AxisChoice[], key: string | null): AxisChoice | undefined {
  return choices.find((c) => c.key === key) ?? choices[0];
}

/** The axis of `choice` (none: no fault has a time), with the span of its faults' times. */
export function placeAxis(faults: readonly FaultSummary[], choice: AxisChoice | undefined): FaultAxis {
  const clock = choice?.clock ?? null;
  const file = choice?.file ?? null;
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (const f of faults) {
    if (choice === undefined || !onAxis(f, { clock, file })) continue;
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
