// The storage path of a kernel or VMM log: decoded text in, stored line blocks out. It splits and
// tokenizes the text itself (the same deterministic code as the fault path: LineSplitter and
// PhysicalLineReader), so that it can run in the line writer thread on the text the importing thread
// decoded, while that thread reads the same lines for faults: the two cores share a big log's work
// instead of passing a million parsed lines between them (lines-parallel.ts). Pure over its `write`.
import type { LogDialect } from '../core/ingest/lines/dialect';
import { LineSplitter } from '../core/ingest/lines/line-splitter';
import { PhysicalLineReader } from '../core/ingest/lines/physical-line';
import { LineColumns } from './line-block';

/** What the storage path needs to read a file's lines exactly as the fault path does. */
export interface TextFileSpec {
  readonly fileId: number;
  readonly dialect: LogDialect;
  readonly yearHint: number;
}

/** Lines per written batch (one transaction of 20 blocks). */
export const TEXT_BATCH_LINES = 20_000;

export class LineTextStore {
  private readonly splitter: LineSplitter;
  private readonly reader: PhysicalLineReader;
  private columns = new LineColumns(TEXT_BATCH_LINES);

  constructor(
    readonly spec: TextFileSpec,
    /** Stores a batch of the file's lines (in one transaction). */
    private readonly write: (fileId: number, columns: LineColumns) => void,
  ) {
    this.reader = new PhysicalLineReader({ dialect: spec.dialect, yearHint: spec.yearHint });
    this.splitter = new LineSplitter({ line: (t, n) => this.line(t, n), problem: () => undefined }, { report: false });
  }

  text(s: string): void {
    this.splitter.pushText(s);
  }

  /** Stores the last lines; returns how many lines the file had. */
  end(): number {
    this.splitter.end();
    this.flush();
    return this.splitter.lines;
  }

  private line(text: string, lineNo: number): void {
    this.reader.store(text, lineNo, this.add);
    if (this.columns.count === this.columns.capacity) this.flush();
  }

  private readonly add = (lineNo: number, tsNs: bigint | null, cpu: number | null, pid: number | null, level: number | null, text: string): void =>
    this.columns.add(lineNo, tsNs, cpu, pid, level, text);

  private flush(): void {
    if (this.columns.count === 0) return;
    const full = this.columns;
    this.columns = new LineColumns(TEXT_BATCH_LINES);
    this.write(this.spec.fileId, full);
  }
}
