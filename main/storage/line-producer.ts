// The reading half of a kernel or VMM log's ingest: bytes in; tokenized lines (for the fault path) and
// packed line blocks (for storage) out. Runs in the line reader thread for a big bundle (lines-worker.ts)
// while the importing thread assembles faults and inserts the blocks, or in the importing thread itself
// for a small one: the same code either way, so both give the same lines. Decoding, splitting, tokenizing,
// binary-junk checks, the fault gate and packing happen here; fault assembly and SQLite there
// (../shared/docs/PERFORMANCE.md: both cores can work). The two halves take about the same CPU; which is
// the busier depends on the log (bench/ingest.ts prints each thread's CPU time).
import type { LogDialect } from '../core/ingest/lines/dialect';
import { LineSplitter } from '../core/ingest/lines/line-splitter';
import { PhysicalLineReader } from '../core/ingest/lines/physical-line';
import { LineTokensBuilder, type LineTokens } from '../core/ingest/lines/tokenized';
import { mayMatter, mayMatterAtStart, UNHANDLED } from '../core/ingest/kernel-log/openers';
import { batchBlocks, BLOCK_LINES, LineColumns, type BlockRow } from './line-block';

/** What the reading half needs to read a file's lines exactly as the importer would. */
export interface TextFileSpec {
  readonly fileId: number;
  readonly dialect: LogDialect;
  readonly yearHint: number;
  /** The file's date (ms): see TokenizerOptions.dateHintMs. */
  readonly dateHintMs?: number;
}

/** Lines packed into blocks, with their tokens (the same lines, in order) and the problems met. */
export interface Pack {
  readonly blocks: readonly BlockRow[];
  readonly tokens: LineTokens;
}

/** What one input chunk completed: zero or more packs (a pack is BLOCK_LINES lines, or the last ones). */
export interface Produced {
  readonly packs: readonly Pack[];
}

/** After the last chunk: the file's line count and whether a date without a year was read. */
export interface ProducedEnd extends Produced {
  readonly lines: number;
  readonly yearInferred: boolean;
}

export class LineProducer {
  private readonly splitter: LineSplitter;
  private readonly reader: PhysicalLineReader;
  private tokens = new LineTokensBuilder(BLOCK_LINES);
  /** Reused from pack to pack: packing copies what it keeps. */
  private readonly columns = new LineColumns(BLOCK_LINES);
  private packs: Pack[] = [];
  private readonly json: boolean;
  /** The next UNHANDLED in `unhandledText` at or after `unhandledFrom` (Infinity: none). */
  private unhandledText = '';
  private unhandledFrom = 0;
  private unhandledAt = Infinity;

  constructor(readonly spec: TextFileSpec) {
    this.json = spec.dialect.json;
    this.reader = new PhysicalLineReader({ dialect: spec.dialect, yearHint: spec.yearHint, ...(spec.dateHintMs !== undefined ? { dateHintMs: spec.dateHintMs } : {}) }, (lineNo) =>
      this.tokens.problem('journal-json-invalid', lineNo, 'not a JSON object'),
    );
    this.splitter = new LineSplitter({
      line: (text, lineNo) => this.lineIn(text, 0, text.length, lineNo),
      lineIn: (text, start, end, lineNo) => this.lineIn(text, start, end, lineNo),
      problem: (kind, lineNo, detail) => this.tokens.problem(kind, lineNo, detail),
    });
  }

  bytes(chunk: Uint8Array): Produced {
    this.splitter.push(chunk);
    return this.take();
  }

  end(): ProducedEnd {
    this.splitter.end();
    this.pack(true);
    return { ...this.take(), lines: this.splitter.lines, yearInferred: this.reader.yearInferred };
  }

  /** The line `text[start, end)`. */
  private lineIn(text: string, start: number, end: number, lineNo: number): void {
    if (this.json) {
      const l = this.reader.read(text.slice(start, end), lineNo);
      this.tokens.add(l, !mayMatter(l.text, l.text.length - l.message.length, l.text.length));
      this.columns.add(lineNo, l.tsNs, l.cpu, l.pid, l.level, l.text);
    } else {
      // The hot path: the tokenizer's cursor straight into the columns, no LogLine and no string built.
      const c = this.reader.scan(text, start, end);
      const quiet = !mayMatterAtStart(text, c.pos, end) && !this.unhandledIn(text, c.pos + 1, end);
      this.tokens.addTokens(c.pos - start, c.clock, c.prefixed, c.host, c.ident, quiet);
      this.columns.addIn(lineNo, c.tsBase, c.tsOff, c.cpu, c.pid, c.level, text, start, end);
    }
    if (this.columns.count === this.columns.capacity) this.pack(false);
  }

  /**
   * Whether `text[from, end)` holds UNHANDLED (the gate's search anywhere in a message, mayMatter), for
   * lines read one after the other from one text: that text is searched once, not once a line.
   */
  private unhandledIn(text: string, from: number, end: number): boolean {
    if (text !== this.unhandledText || from < this.unhandledFrom || this.unhandledAt < from) {
      const at = text.indexOf(UNHANDLED, from);
      this.unhandledText = text;
      this.unhandledAt = at < 0 ? Infinity : at;
    }
    this.unhandledFrom = from;
    return this.unhandledAt + UNHANDLED.length <= end;
  }

  /** Packs the lines so far (`last`: also when there are none but problems to pass on). */
  private pack(last: boolean): void {
    const c = this.columns;
    if (c.count === 0 && !(last && this.tokens.hasProblems)) return;
    const blocks = [...batchBlocks(c)];
    this.packs.push({ blocks, tokens: this.tokens.finish() });
    this.columns.clear();
    this.tokens = new LineTokensBuilder(BLOCK_LINES);
  }

  private take(): Produced {
    const out = { packs: this.packs };
    this.packs = [];
    return out;
  }
}
