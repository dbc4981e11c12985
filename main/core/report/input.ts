// What a report is built from: plain data that main/services/report.ts gathers from the database (or a test
// builds by hand). Nothing here is computed by the report; it is what ingest, the decoder, replay and the
// diagnosis rules already decided, carried over so the report can only render it (STYLE.md §20).
import type { EsrDecode } from '../esr/types';
import type { BundleContext, FaultRecord } from '../ingest/fault-record';
import type { RecordClock } from '../ingest/boot-clock';

/** What the user asked a report for (issue 8): the whole bundle, a diagnosis, a group of faults, one fault. */
export type ReportSelection =
  | { readonly kind: 'bundle' }
  | { readonly kind: 'diagnosis'; readonly id: string }
  | { readonly kind: 'faults'; readonly ids: readonly number[] }
  | { readonly kind: 'fault'; readonly id: number };

/** Ranked most severe first (SEVERITIES[0]). */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One line of a file of the bundle, 1-based, as it was stored. */
export interface LogLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Where a replay input came from: read from the bundle, or a default the replay had to assume. */
export type InputOrigin = 'recorded' | 'assumed';

export interface ReplayInputValue {
  /** `MAIR_EL1.Attr<n>`, `S2 MemAttr`, `HCR_EL2.FWB`, `access`. */
  readonly name: string;
  /** The value as the MMU model names it: `0x44 (Normal-NC)`, `0b0001 (Device-nGnRE)`, `STR X1, 8 bytes`. */
  readonly value: string;
  readonly origin: InputOrigin;
  /** Where a recorded value was read, or why an assumed one was chosen. */
  readonly note: string | null;
}

/** One side of the attribute combination, as the MMU model computed it. */
export interface LatticePoint {
  /** Node of the lattice (main/core/mmu/types.ts LATTICE): `Normal-NC`, `Device-nGnRE`, … */
  readonly node: string;
  /** The model's label (`Normal-NC`, `Normal iWB-oNC`, `Device-nGnRE`). */
  readonly label: string;
  /** The encoding it came from (`MAIR 0x44`, `MemAttr 0b0001`), or null for the result. */
  readonly encoding: string | null;
}

export interface CombineInput {
  readonly s1: LatticePoint;
  readonly s2: LatticePoint;
  readonly result: LatticePoint;
  readonly fwb: boolean;
  /** The rule that fired: id, its text and the ASL function it implements. */
  readonly rule: { readonly id: string; readonly text: string; readonly asl: string };
  /** True when an unaligned access to the result takes an alignment fault, and at which stage. */
  readonly alignmentFaultStage: 1 | 2 | null;
}

export type ReplayVerdict = 'reproduced' | 'differs' | 'no-fault' | 'underdetermined' | 'not-replayable';

export interface ReplayInput {
  readonly verdict: ReplayVerdict;
  /** One sentence from the replay: what it predicts and why. */
  readonly summary: string;
  /** The ESR the model synthesised, to compare with the recorded one. */
  readonly predictedEsr: bigint | null;
  readonly inputs: readonly ReplayInputValue[];
  readonly combine: CombineInput | null;
}

export interface FaultInput {
  /** The fault's database id (what `--fault ID` and the UI select). */
  readonly id: number;
  readonly record: FaultRecord;
  /** How many identical faults this row stands for (ingest groups repeats); 1 when alone. */
  readonly count: number;
  /** The decode of record.esr, when it has one. */
  readonly decode: EsrDecode | null;
  readonly replay: ReplayInput | null;
  /**
   * The record's own lines as stored (source.line .. source.endLine). When absent the report reads them from
   * record.text, which ingest keeps as it appeared.
   */
  readonly lines?: readonly LogLine[];
  /**
   * A time the report's axis cannot hold (record.timeNs is then null): on another clock, or on an earlier
   * boot's since-boot clock of a log (main/core/ingest/boot-clock.ts), with the log it was read from.
   */
  readonly offAxisTime?: { readonly ns: bigint; readonly clock: string; readonly file: string };
}

export type ReferenceInput =
  | {
      readonly kind: 'commit';
      /** Full or abbreviated SHA-1; reports print 12 characters, as `Fixes:` tags do. */
      readonly sha: string;
      readonly subject: string;
      /** First mainline release carrying it (`6.9`). */
      readonly version: string | null;
      /** What the commit is to this diagnosis: the fix, or the change that introduced the problem. */
      readonly role: 'fix' | 'introduced' | 'related';
      /** Where to read it; default the kernel.org short link. */
      readonly url?: string | null;
      /** `subject` is a description (the rule did not give the commit's subject): printed without quotes. */
      readonly described?: boolean;
    }
  | { readonly kind: 'lore'; readonly messageId: string; readonly title: string }
  | { readonly kind: 'url'; readonly url: string; readonly title: string };

export interface DiagnosisInput {
  /** Stable id of the diagnosis within the bundle (what `--diagnosis ID` selects). */
  readonly id: string;
  /** The rule that produced it (`kvm-s2-device-vfio-bar-alignment`). */
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  /** Paragraphs of plain prose. */
  readonly explanation: readonly string[];
  /** Kernel release that fixes it (`6.9`), or null. */
  readonly fixedIn: string | null;
  /** What to do, in one or two sentences; null when the rule has nothing to suggest. */
  readonly action: string | null;
  readonly faultIds: readonly number[];
  readonly references: readonly ReferenceInput[];
  /** Extra lines that support the diagnosis besides the faults' own (the QEMU error after a KVM message). */
  readonly evidence?: readonly LogLine[];
  /** Where the rule's facts come from, when that is not a link: kernel source files, Arm ARM pseudocode. */
  readonly sources?: readonly string[];
}

/** An import diagnostic (main/core/ingest/diagnostics.ts), possibly standing for several occurrences. */
export interface DiagnosticInput {
  readonly kind: string;
  readonly severity: 'info' | 'data-loss' | 'error';
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
  readonly count?: number;
}

/** Event density over time from the ftrace summaries (main/storage/timeline.ts), for the timeline figure. */
export interface TimelineBucketInput {
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly count: number;
}

/** The clock of the report's timestamps (main/core/ingest/lines/timestamps.ts Clock); null when unknown. */
export type ReportClock = RecordClock | null;

export interface BundleInput {
  readonly id: number;
  readonly name: string;
  readonly sourcePath: string | null;
  readonly context: BundleContext;
  /** Earliest and latest timestamp in the bundle (lines, events, faults), when any is known. */
  readonly startNs: bigint | null;
  readonly endNs: bigint | null;
  /** The clock every timestamp of the input is on (the service leaves out times on other clocks). */
  readonly clock?: ReportClock;
}

export interface ReportInput {
  readonly bundle: BundleInput;
  readonly selection: ReportSelection;
  readonly faults: readonly FaultInput[];
  readonly diagnoses: readonly DiagnosisInput[];
  readonly diagnostics: readonly DiagnosticInput[];
  readonly events?: readonly TimelineBucketInput[];
  /** `Faultline 0.1.0`: printed in the report's footer. */
  readonly generator: string;
}
