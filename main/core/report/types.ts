// The report model: everything a rendering shows, already decided. The text and HTML renderings only lay it
// out; neither decodes, replays, ranks or selects anything (STYLE.md §20).
import type { CombineInput, InputOrigin, ReplayInputValue, ReplayVerdict, ReportClock, ReportSelection, Severity, TimelineBucketInput } from './input';
import type { QuoteBlock } from './quotes';
import type { ReportReference } from './references';
import type { KeyRow } from './wrap';

export type { KeyRow, QuoteBlock, ReportReference };

export interface DecodeBlock {
  /** `ESR_EL2` when the value was read from ESR_EL2 (KVM, hyp), `ESR_EL1`, or `ESR` when unknown. */
  readonly register: string;
  readonly esr: bigint;
  /** `DABT (lower EL), alignment fault`: the kernel's class string and fault name. */
  readonly summary: string;
  /** Kernel whose layout the lines follow (`6.1.0-18-arm64`), or null for the newest. */
  readonly kernel: string | null;
  /** The kernel's "Mem abort info" block, its indentation included, no log prefix. */
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
}

export interface LatticeRow {
  readonly node: string;
  readonly s1: boolean;
  readonly s2: boolean;
  readonly result: boolean;
}

export interface ReplayBlock {
  readonly verdict: ReplayVerdict;
  readonly verdictText: string;
  readonly summary: string;
  readonly predictedEsr: bigint | null;
  /** Whether the predicted ESR equals the recorded one; null when either is missing. */
  readonly matchesRecorded: boolean | null;
  readonly inputs: readonly ReplayInputValue[];
  readonly counts: Readonly<Record<InputOrigin, number>>;
  readonly combine: CombineInput | null;
  /** One row per lattice node, weakest first, with the stage-1, stage-2 and result markers. */
  readonly lattice: readonly LatticeRow[] | null;
}

export interface DiagnosisBlock {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly explanation: readonly string[];
  readonly fixedIn: string | null;
  readonly action: string | null;
  /** Footnote numbers of this diagnosis's references, in the order the rule gave them. */
  readonly refs: readonly number[];
  /** Citations without a link (kernel source, Arm ARM pseudocode). */
  readonly sources: readonly string[];
}

/** Import diagnostics of one kind and severity, counted. */
export interface ReportDiagnostic {
  readonly kind: string;
  readonly severity: 'info' | 'data-loss' | 'error';
  readonly count: number;
  /** The first occurrence's message and place (`var/log/syslog:12`). */
  readonly message: string;
  readonly where: string | null;
}

export interface Finding {
  /** 1-based rank. */
  readonly index: number;
  /** `diagnosis:<id>` or `faults:<kind>:<esr>`: stable across renderings. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** Paragraphs of prose: the diagnosis's explanation, or what the faults are when no rule explains them. */
  readonly summary: readonly string[];
  readonly faultIds: readonly number[];
  /** Faults this finding stands for (ingest groups identical repeats, so this can exceed faultIds.length). */
  readonly faultCount: number;
  readonly firstNs: bigint | null;
  readonly lastNs: bigint | null;
  readonly facts: readonly KeyRow[];
  readonly decode: DecodeBlock | null;
  readonly replay: ReplayBlock | null;
  readonly diagnosis: DiagnosisBlock | null;
  readonly quotes: readonly QuoteBlock[];
  /** Faults of this finding whose lines are not quoted because an identical one is. */
  readonly unquoted: number;
  /** Import diagnostics on the files this finding quotes: what limits its conclusions. */
  readonly limits: readonly ReportDiagnostic[];
}

export interface TimelineMark {
  readonly ns: bigint;
  readonly finding: number;
  readonly severity: Severity;
  readonly count: number;
}

export interface TimelineModel {
  /** The clock of every time in the report (the header's and the facts' too). */
  readonly clock: ReportClock;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly marks: readonly TimelineMark[];
  readonly events: readonly TimelineBucketInput[];
}

export interface Report {
  readonly title: string;
  readonly bundleName: string;
  readonly selection: ReportSelection;
  /** `whole bundle`, `diagnosis kvm-…`, `3 faults`, `fault 12`. */
  readonly selectionLabel: string;
  /** One sentence: how many faults and findings, by severity. */
  readonly overview: string;
  readonly header: readonly KeyRow[];
  readonly findings: readonly Finding[];
  readonly references: readonly ReportReference[];
  /** Import diagnostics that limit what can be concluded (data-loss, error), counted by kind. */
  readonly diagnostics: readonly ReportDiagnostic[];
  /** Informational diagnostics, only counted. */
  readonly infoDiagnostics: number;
  readonly timeline: TimelineModel | null;
  readonly generator: string;
}
