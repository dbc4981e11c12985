// Timeline tracks for the faults of a bundle when no trace summaries exist for them: one track per source
// file, markers on the track of the file they were read from. Pure.
import type { Domain } from '../viz/timeline-math';
import type { FaultItem } from './fault-item';

export interface FaultTrack {
  readonly id: string;
  readonly label: string;
}

export function fileTrackId(file: string): string {
  return `file:${file}`;
}

/** One track per file that has a timed fault, in order of the first fault's time. */
export function tracksFromFaults(items: readonly FaultItem[]): FaultTrack[] {
  const first = new Map<string, number>();
  for (const f of items) {
    if (f.t === null) continue;
    const prev = first.get(f.file);
    if (prev === undefined || f.t < prev) first.set(f.file, f.t);
  }
  return [...first]
    .sort((a, b) => a[1] - b[1])
    .map(([file]) => ({ id: fileTrackId(file), label: file.split('/').slice(-2).join('/') }));
}

/**
 * The whole axis: the faults' span with a margin (a lone fault gets a second either side), never before the
 * clock's zero (the axis origin is the first fault, `origin` ns after zero).
 */
export function fullDomain(end: number, origin: bigint): Domain {
  const pad = end <= 0 ? 1e9 : Math.max(end * 0.03, 1000);
  const floor = -Number(origin);
  return { start: Math.max(floor, -pad), end: Math.max(end, 0) + pad };
}
