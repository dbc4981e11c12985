// One physical line of a kernel or VMM log -> its tokens (LogLine), for a given dialect: the journal's JSON
// export gives its MESSAGE as the line's text, every other dialect goes through the prefix tokenizer.
// Deterministic for a given dialect, year hint and sequence of lines: the reader thread
// (storage/line-producer.ts) and the importing thread (kernel-log/reader.ts, for lines found inside
// others) read lines the same way.
import type { LogDialect } from './dialect';
import { parseJournalJson } from './journal-json';
import { stripAnsi } from './line-splitter';
import type { Cursor } from './line-cursor';
import { LogLineTokenizer, type LogLine } from './log-line';

export interface PhysicalLineOptions {
  readonly dialect: LogDialect;
  readonly yearHint?: number;
  /** The file's date (ms): see TokenizerOptions.dateHintMs. */
  readonly dateHintMs?: number;
}

export class PhysicalLineReader {
  private readonly tokenizer: LogLineTokenizer;

  constructor(
    private readonly options: PhysicalLineOptions,
    /** A journal-json line that is not a JSON object (blank lines are not reported). */
    private readonly invalidJson: (lineNo: number) => void = () => undefined,
  ) {
    this.tokenizer = new LogLineTokenizer({
      ...(options.yearHint !== undefined ? { yearHint: options.yearHint } : {}),
      ...(options.dateHintMs !== undefined ? { dateHintMs: options.dateHintMs } : {}),
      journalAfterBracket: options.dialect.journalAfterBracket,
    });
  }

  /** A date without a year was read (the year came from the hint). */
  get yearInferred(): boolean {
    return this.tokenizer.yearInferred;
  }

  read(text: string, lineNo: number): LogLine {
    return this.options.dialect.json ? this.jsonLine(text, lineNo) : this.tokenizer.tokenize(text, lineNo);
  }

  /**
   * The tokens of the line `text[start, end)` without building its LogLine, for a dialect whose stored
   * text is the line itself (not journal JSON): the tokenizer's own cursor, valid until the next call;
   * `pos` is where the message starts in `text`.
   */
  scan(text: string, start: number, end: number): Readonly<Cursor> {
    if (this.options.dialect.json) throw new Error('scan() is for dialects whose text is the line');
    return this.tokenizer.scan(text, start, end);
  }

  /** A line found inside another (an injected LAVA line): tokenized as a line of its own. */
  tokenize(text: string, lineNo: number): LogLine {
    return this.tokenizer.tokenize(text, lineNo);
  }

  private jsonLine(text: string, lineNo: number): LogLine {
    const e = parseJournalJson(text);
    if (e === null) {
      if (text.trim() !== '') this.invalidJson(lineNo);
      return { text, lineNo, message: text, tsNs: null, clock: null, cpu: null, pid: null, level: null, host: null, ident: null, prefixed: false };
    }
    // A service's coloured output keeps its escape sequences in MESSAGE: removed, as from every other line.
    const message = stripAnsi(e.message);
    return { text: message, lineNo, message, tsNs: e.tsNs, clock: e.clock, cpu: null, pid: e.pid, level: e.level, host: e.host, ident: e.ident, prefixed: true };
  }
}
