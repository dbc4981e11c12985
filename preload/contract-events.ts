// Contract operations over trace events (issue 5): page through a bundle's ftrace/trace.dat events, and the
// timeline's bucket counts at any zoom. Spread into the one map in contract.ts. Timestamps are decimal
// strings of integer nanoseconds (the trace's clock), 64-bit values lower-case hex strings.
import { z } from 'zod';

const id = z.number().int().positive();
/** Integer nanoseconds as a decimal string (JSON numbers cannot hold every 64-bit value). */
const ns = z.string().regex(/^\d{1,20}$/, 'a decimal number of nanoseconds');

export const eventsRequestSchemas = {
  /** One page of a bundle's trace events in file order, optionally one event name and a time window. */
  'events:list': z
    .object({
      bundleId: id,
      event: z.string().min(1).max(200).optional(),
      fromNs: ns.optional(),
      toNs: ns.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(200),
    })
    .strict(),
  /** Per timeline track, `buckets` event counts over [fromNs, toNs] (the whole trace when omitted). */
  'timeline:buckets': z
    .object({
      bundleId: id,
      fromNs: ns.optional(),
      toNs: ns.optional(),
      buckets: z.number().int().min(1).max(10_000).default(1000),
    })
    .strict(),
} as const;

export interface TraceEvent {
  readonly timeNs: string;
  readonly cpu: number;
  readonly pid: number;
  readonly tgid: number | null;
  readonly comm: string;
  readonly event: string;
  /** The event's text as the trace printed it (trace.dat: as `trace-cmd report` prints it). */
  readonly args: string;
  /** Parsed fields: KVM events by the kernel's field names, others `name=value` pairs or the record's fields. */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  readonly file: string;
  /** Source line (text traces) or 1-based event index (trace.dat). */
  readonly line: number;
}

export interface EventPage {
  readonly offset: number;
  readonly events: readonly TraceEvent[];
}

export type TimelineTrackKind = 'cpu' | 'vm' | 'vcpu' | 'event' | 'fault';

export interface TimelineTrackCounts {
  readonly kind: TimelineTrackKind;
  readonly key: string;
  readonly label: string;
  readonly counts: readonly number[];
  /** Host time (ns) of the KVM exits that ended in each bucket, for vCPU and VM tracks; else null. */
  readonly hostNs: readonly number[] | null;
}

export interface TimelineBuckets {
  readonly fromNs: string;
  readonly toNs: string;
  /** Width of one bucket in ns (may be fractional). */
  readonly bucketNs: number;
  /** Whether the counts come from the ingest-time summaries or, for a narrow window, the events. */
  readonly source: 'summary' | 'events' | 'empty';
  readonly tracks: readonly TimelineTrackCounts[];
}

export interface EventsResponseMap {
  'events:list': EventPage;
  'timeline:buckets': TimelineBuckets;
}
