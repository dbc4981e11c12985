// One kernel or VMM log, line by line: tokenizer -> (every line to the sink, for storage) -> logical lines
// -> fault assembler. The perfetto-style split (tokenizer, then parser) keeps the per-line path short:
// the stored row is the tokenizer's output, and only the assembler's gate looks further.
import type { DiagnosticId } from '../diagnostics';
import type { LogDialect } from '../lines/dialect';
import type { LogLine } from '../lines/log-line';
import { PhysicalLineReader } from '../lines/physical-line';
import { FaultAssembler, type AssemblerOutput } from './assembler';
import type { ExtraValue } from './draft';
import { LogicalLineJoiner } from './logical-lines';

export interface KernelLogSink extends AssemblerOutput {
  /** Every physical line, tokenized (journal JSON: the MESSAGE is the text). */
  line(line: LogLine): void;
  /** The host name a syslog or journal line carries (first seen). */
  hostname(name: string): void;
}

export interface KernelLogOptions {
  readonly file: string;
  readonly dialect: LogDialect;
  readonly yearHint?: number;
  /** The file's date (ms): see TokenizerOptions.dateHintMs. */
  readonly dateHintMs?: number;
  readonly extra?: Readonly<Record<string, ExtraValue>>;
  /** A log of the boot before the bundle's (AssemblerOptions.previousBoot). */
  readonly previousBoot?: boolean;
}

export class KernelLogReader {
  private readonly physical: PhysicalLineReader;
  private readonly joiner: LogicalLineJoiner;
  private readonly assembler: FaultAssembler;
  private host: string | null = null;
  private wrappedReported = 0;
  private injectedReported = 0;
  private bootsReported = false;
  private minuteReported = false;

  constructor(
    private readonly options: KernelLogOptions,
    private readonly sink: KernelLogSink,
  ) {
    this.physical = new PhysicalLineReader(
      {
        dialect: options.dialect,
        ...(options.yearHint !== undefined ? { yearHint: options.yearHint } : {}),
        ...(options.dateHintMs !== undefined ? { dateHintMs: options.dateHintMs } : {}),
      },
      (lineNo) => this.sink.diagnostic('journal-json-invalid', lineNo, 'not a JSON object'),
    );
    this.assembler = new FaultAssembler({ file: options.file, ...(options.extra ? { extra: options.extra } : {}), ...(options.previousBoot ? { previousBoot: true } : {}) }, sink);
    this.joiner = new LogicalLineJoiner(
      options.dialect,
      (l) => this.assembler.push(l),
      (t, n) => this.physical.tokenize(t, n),
      (message, tsNs) => this.assembler.wants(message, tsNs),
    );
  }

  /** One physical line from the splitter. */
  line(text: string, lineNo: number): void {
    this.tokenized(this.physical.read(text, lineNo));
  }

  /**
   * One physical line already tokenized for this file's dialect and year hint (by another thread reading
   * the same bytes with the same code: storage/line-producer.ts).
   */
  tokenized(line: LogLine): void {
    if (line.host !== null && this.host === null) {
      this.host = line.host;
      this.sink.hostname(line.host);
    }
    this.sink.line(line);
    this.joiner.push(line);
  }

  /**
   * A prefixed line that fails the fault gate and is followed by a prefixed line, counted without being
   * built where nothing could come of it (LogicalLineJoiner.skipPrefixed, no block open, the host already
   * known if the line names one). False: the caller gives the line to tokenized() as usual.
   */
  skip(hasHost: boolean): boolean {
    if (!this.assembler.idle || (hasHost && this.host === null)) return false;
    return this.joiner.skipPrefixed();
  }

  /** `n` more lines like the one skip() just took (LineSink.skipMore). */
  skipMore(n: number): void {
    this.joiner.skipMore(n);
  }

  /** The lines at which the boots after the first begin (after end(): of the whole file). */
  get bootStarts(): readonly number[] {
    return this.assembler.bootStarts;
  }

  /** `yearInferred`: whoever tokenized the lines read a date without a year (when not this reader). */
  end(yearInferred = false): void {
    this.joiner.end();
    this.assembler.end();
    const { wrapped, injected } = this.joiner.stats;
    if (this.physical.yearInferred || yearInferred) this.sink.diagnostic('year-inferred', 0, yearInferredMessage(this.options));
    if (this.options.dialect.minuteStamps === true && !this.minuteReported) {
      this.minuteReported = true;
      this.sink.diagnostic('time-to-the-minute', 0, 'dmesg -H prints the wall-clock time to the minute, then the steps between lines: times here may be up to a minute early (their order and spacing are exact)');
    }
    const boots = this.assembler.bootStarts;
    if (boots.length > 0 && !this.bootsReported) {
      this.bootsReported = true;
      const lines = boots.map((n) => `line ${n}`).join(', ');
      const clocks = this.assembler.sinceBootStamps ? "the kernel's since-boot clock starts again" : 'the next boot begins';
      this.sink.diagnostic('log-boots', boots[0]!, `${boots.length + 1} boots: ${clocks} at ${lines}; each fault says its boot (boot -1 for the one before the last, …)`);
    }
    this.report('line-wrapped', wrapped - this.wrappedReported, 'wrapped lines re-joined');
    this.report('line-injected', injected - this.injectedReported, 'injected lines split out');
    this.wrappedReported = wrapped;
    this.injectedReported = injected;
  }

  private report(id: DiagnosticId, n: number, what: string): void {
    if (n > 0) this.sink.diagnostic(id, 0, `${n} ${what}`);
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function yearInferredMessage(o: KernelLogOptions): string {
  if (o.dateHintMs === undefined) return `dates without a year read as ${o.yearHint ?? 1970}`;
  const d = new Date(o.dateHintMs);
  const year = d.getUTCFullYear();
  return `dates without a year read as ${year}, or as ${year - 1} where ${year} would put them after the file's date (${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${year})`;
}
