// The ingest's timeline summaries (timeline:buckets) as timeline tracks on the faults' axis: counts per
// bucket become buckets in ns relative to the axis origin. Only the CPU, VM and vCPU tracks are shown (event
// and fault tracks would repeat what the markers say). Pure.
import type { TimelineBuckets } from '../../preload/contract';
import type { Bucket } from '../viz/timeline-math';

export interface DensityTrack {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly buckets: readonly Bucket[];
}

// Display order and labels of the kinds shown.
const ORDER: Readonly<Record<string, number>> = { vm: 0, vcpu: 1, cpu: 2 };

export function densityTracks(r: TimelineBuckets, origin: bigint): DensityTrack[] {
  if (r.source === 'empty' || r.bucketNs <= 0) return [];
  const from = Number(BigInt(r.fromNs) - origin);
  return r.tracks
    .filter((t) => ORDER[t.kind] !== undefined)
    .map((t) => ({
      id: `${t.kind}:${t.key}`,
      label: t.label,
      kind: t.kind,
      buckets: t.counts.map((count, i) => ({ start: from + i * r.bucketNs, width: r.bucketNs, count })),
    }))
    .sort((a, b) => (ORDER[a.kind] ?? 9) - (ORDER[b.kind] ?? 9) || a.label.localeCompare(b.label, 'en', { numeric: true }));
}

/** The window as the API's decimal ns strings (absolute in the trace's clock), clamped at zero. */
export function windowRequest(start: number, end: number, origin: bigint): { fromNs: string; toNs: string } {
  const abs = (rel: number): bigint => {
    const v = origin + BigInt(Math.round(rel));
    return v < 0n ? 0n : v;
  };
  return { fromNs: abs(start).toString(), toNs: abs(end).toString() };
}
