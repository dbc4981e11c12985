// Contract operations of the ingest (issue 4): start and cancel an ingest, page through a bundle's fault
// records and log lines, full-text search. Spread into the one map in contract.ts; kept in their own file
// so that parallel work on the contract does not collide. 64-bit values are lower-case hex strings without
// leading zeros ("0x92000061"); timestamps are decimal strings of integer nanoseconds in the file's clock.
import { z } from 'zod';

const id = z.number().int().positive();

/** main/core/ingest/fault-record.ts FAULT_KINDS (a test checks the two lists agree). */
export const FAULT_KIND_NAMES = [
  'mem_abort',
  'sync_external_abort',
  'serror',
  'hyp_panic',
  'hyp_bug',
  'kernel_bug',
  'kvm_unsupported_fsc',
  'kvm_nisv',
  'kvm_sysreg_trap',
  'kvm_guest_fault',
  'smmu_event',
  'smmu_context_fault',
  'vmm_error',
] as const;

export type FaultKindName = (typeof FAULT_KIND_NAMES)[number];

export const ingestRequestSchemas = {
  /** Starts ingesting files/folders/archives (paths on the machine running the backend) as one bundle. */
  'bundles:ingest': z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100), name: z.string().trim().min(1).max(200).optional() }).strict(),
  /** Cancels a running ingest; the database is left as it was before it. */
  'bundles:cancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),
  /** One page of a bundle's fault records, in time order, optionally of one kind or containing a text. */
  'faults:list': z
    .object({
      bundleId: id,
      kind: z.enum(FAULT_KIND_NAMES).optional(),
      search: z.string().max(200).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict(),
  /** One fault record with its ESR decode and the source lines around it. */
  'faults:get': z.object({ id, context: z.number().int().min(0).max(200).default(5) }).strict(),
  /** Lines fromLine.. of one file of a bundle (the first file with lines when `file` is omitted). */
  'lines:page': z
    .object({
      bundleId: id,
      file: z.string().min(1).max(4096).optional(),
      fromLine: z.number().int().min(1).default(1),
      limit: z.number().int().min(1).max(5000).default(200),
    })
    .strict(),
  /** Full-text search over a bundle's lines (words ANDed, `word*` for a prefix; never a syntax error). */
  'lines:search': z.object({ bundleId: id, query: z.string().max(500), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
} as const;

export interface IngestStarted {
  readonly jobId: string;
}

export interface FaultSummary {
  readonly id: number;
  readonly bundleId: number;
  readonly kind: FaultKindName;
  readonly esr: string | null;
  /** Which ESR_ELx the value is (2 for KVM and hypervisor messages), when known. */
  readonly el: 1 | 2 | null;
  readonly far: string | null;
  readonly ipa: string | null;
  readonly pc: string | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly comm: string | null;
  /** Decimal ns in `clock`; null when the log line had no time. */
  readonly timeNs: string | null;
  readonly clock: FaultClock;
  readonly kernel: string | null;
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  /** Identical trace faults stored as one record: how many, first and last time (decimal ns). */
  readonly count: number;
  readonly firstNs: string | null;
  readonly lastNs: string | null;
  /** The record's first line, for lists. */
  readonly headline: string;
}

/**
 * A record's clock: the kernel's since-boot clock (`monotonic`), wall-clock UTC (`realtime`) or a time of day.
 * In a log of several boots the since-boot clock restarts at each: the records of its last boot are on
 * `monotonic`, those N boots before it on `monotonic@-N` (main/core/ingest/boot-clock.ts). A trace whose
 * clock does not count nanoseconds (counter, x86-tsc …) gives bare counts: `counter`.
 */
export type FaultClock = 'monotonic' | `monotonic@-${number}` | 'realtime' | 'time-of-day' | 'counter' | null;

export interface FaultPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly FaultSummary[];
}

export interface SourceLine {
  readonly lineNo: number;
  readonly timeNs: string | null;
  readonly text: string;
  /** The line is part of the record (false for the context around it). */
  readonly inRecord: boolean;
}

export interface FaultDetail extends FaultSummary {
  /** The raw text of the record as it appeared. */
  readonly text: string;
  /** The ESR decoder's JSON (main/core/esr esrToJson shape) for `esr`, or null. */
  readonly decode: Readonly<Record<string, unknown>> | null;
  /** Kind-specific facts (SMMU stream id, sysreg encoding, VMM error, `also_in` other files, ...). */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly source: { readonly file: string; readonly lines: readonly SourceLine[] };
}

export interface LogLineView {
  readonly lineNo: number;
  readonly timeNs: string | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly level: number | null;
  readonly text: string;
}

/** Where one boot of a log of several begins, and the clock of its times (FaultClock's since-boot ones). */
export interface LogBoot {
  readonly fromLine: number;
  readonly clock: FaultClock;
}

export interface LinePage {
  readonly file: string | null;
  readonly format: string | null;
  readonly clock: 'monotonic' | 'realtime' | 'time-of-day' | null;
  /** A log of several boots: each boot from its first line, in order (the first from line 1); else null. */
  readonly boots: readonly LogBoot[] | null;
  readonly totalLines: number;
  readonly fromLine: number;
  readonly lines: readonly LogLineView[];
}

export interface SearchHitView {
  readonly file: string;
  readonly lineNo: number;
  readonly timeNs: string | null;
  readonly text: string;
}

export interface SearchResult {
  readonly hits: readonly SearchHitView[];
  /** Lines of the bundle not yet in the search index (search is still being built when > 0). */
  readonly pendingLines: number;
}

export interface IngestResponseMap {
  'bundles:ingest': IngestStarted;
  'bundles:cancel': { readonly cancelled: boolean };
  'faults:list': FaultPage;
  'faults:get': FaultDetail;
  'lines:page': LinePage;
  'lines:search': SearchResult;
}

/**
 * The `ingest:progress` event (EventMap in contract.ts). The backend always sets every field; `phase`,
 * `bundleId` and `cancelled` are optional only so that the first shape of this event still type-checks.
 */
export interface IngestProgressEvent {
  readonly jobId: string;
  /** reading files, finishing the bundle, building the search index, or over. */
  readonly phase?: 'reading' | 'finishing' | 'indexing' | 'done';
  readonly file: string | null;
  readonly bytes: number;
  readonly totalBytes: number | null;
  readonly lines: number;
  readonly done: boolean;
  readonly error: string | null;
  /** The bundle, once it is complete (its search index may still be building). */
  readonly bundleId?: number | null;
  readonly cancelled?: boolean;
}
