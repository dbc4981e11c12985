// Bytes -> physical lines, streaming (STYLE.md §4): a chunk reader that carries the partial line across
// chunks, decodes UTF-8 without ever failing (invalid bytes become U+FFFD and are reported), ends lines at
// LF with any trailing CRs removed (CRLF, and serial captures' CR CR LF), strips ANSI colour sequences, and
// cuts lines longer than a limit so that memory stays flat whatever the input (a "line" of many megabytes
// is usually binary junk or a minified blob).

export type LineProblem = 'invalid-utf8' | 'line-truncated' | 'binary-junk';

export interface LineSink {
  /** One physical line, without its terminator; `lineNo` is 1-based. */
  line(text: string, lineNo: number): void;
  /** A problem on the line `lineNo` (reported before or after that line is delivered). */
  problem(kind: LineProblem, lineNo: number, detail: string): void;
}

export interface LineSplitterOptions {
  /** Lines longer than this many UTF-16 code units are cut (default 64 Ki). */
  readonly maxLineChars?: number;
  /**
   * Report lines with control characters as 'binary-junk' (default true). The line reader thread turns
   * it off: the importing thread checks the stored texts instead (storage/lines.ts), which takes a scan of
   * every byte off the busier thread.
   */
  readonly binaryJunk?: boolean;
}

export const DEFAULT_MAX_LINE_CHARS = 65536;

// CSI sequences (ESC [ params final-byte) and the two-character escapes terminals emit (ESC ( B, ESC =):
// serial consoles colour kernel and systemd output with them.
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78])/g;
// NUL and C0 controls other than TAB/CR/ESC/FF: serial line noise or binary content.
// eslint-disable-next-line no-control-regex
const JUNK_RE = /[\x00-\x08\x0e-\x1a\x1c-\x1f]/;

/** Whether a text holds control characters that mark binary junk (the 'binary-junk' problem). */
export function hasBinaryJunk(text: string): boolean {
  return JUNK_RE.test(text);
}

export const BINARY_JUNK_DETAIL = 'control characters in a text line';

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly maxLineChars: number;
  private readonly binaryJunk: boolean;
  private carry = '';
  /** The last chunk ended with a non-ASCII byte: the decoder may hold part of a character. */
  private midCharacter = false;
  /** True while the rest of an over-long line is being dropped up to its LF. */
  private dropping = false;
  private lineNo = 0;
  private bytesSeen = 0;

  constructor(
    private readonly sink: LineSink,
    options: LineSplitterOptions = {},
  ) {
    this.maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    this.binaryJunk = options.binaryJunk ?? true;
  }

  /** Lines delivered so far. */
  get lines(): number {
    return this.lineNo;
  }

  get bytes(): number {
    return this.bytesSeen;
  }

  push(chunk: Uint8Array): void {
    this.bytesSeen += chunk.length;
    this.consume(this.decoder.decode(chunk, { stream: true }), false);
    this.midCharacter = chunk.length > 0 && chunk[chunk.length - 1]! >= 0x80;
  }

  /**
   * The next chunk when the caller decoded it itself because it is all ASCII (a faster decoder than
   * TextDecoder for that case). Only between characters: see `betweenCharacters`.
   */
  pushAscii(text: string): void {
    if (this.midCharacter) throw new Error('pushAscii after a chunk that may end inside a character');
    this.bytesSeen += text.length;
    this.consume(text, false);
  }

  /** No partial UTF-8 character is held from the last chunk (an ASCII chunk may be decoded outside). */
  get betweenCharacters(): boolean {
    return !this.midCharacter;
  }

  /** Flushes the last line (a file need not end with LF). */
  end(): void {
    this.consume(this.decoder.decode(), true);
  }

  private consume(decoded: string, final: boolean): void {
    const carry = this.carry;
    const text = carry.length > 0 ? carry + decoded : decoded;
    this.carry = '';
    // Per-chunk flags keep the per-line work to the lines that need it. They are taken on the decoded
    // chunk and the carried line apart: a regex over the concatenation (a rope) costs twice as much.
    const hasBad = decoded.indexOf('\uFFFD') >= 0 || carry.indexOf('\uFFFD') >= 0;
    const hasEsc = decoded.indexOf('\x1b') >= 0 || carry.indexOf('\x1b') >= 0;
    const hasJunk = this.binaryJunk && (JUNK_RE.test(decoded) || JUNK_RE.test(carry));
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (this.dropping) {
        this.dropping = false;
      } else {
        this.emit(text, start, nl, hasBad, hasEsc, hasJunk);
      }
      start = nl + 1;
    }
    if (this.dropping) return;
    const rest = text.length - start;
    if (rest > this.maxLineChars) {
      // An over-long line without its LF yet: keep its start (emit cuts it), drop the rest up to the LF.
      this.emit(text, start, text.length, hasBad, hasEsc, hasJunk);
      this.dropping = !final;
      return;
    }
    if (final) {
      if (rest > 0) this.emit(text, start, text.length, hasBad, hasEsc, hasJunk);
    } else if (rest > 0) {
      this.carry = text.slice(start);
    }
  }

  private emit(text: string, start: number, end: number, hasBad: boolean, hasEsc: boolean, hasJunk: boolean): void {
    // Trailing CRs: CRLF files and serial captures that end lines with CR CR LF.
    while (end > start && text.charCodeAt(end - 1) === 13) end--;
    const lineNo = ++this.lineNo;
    if (end - start > this.maxLineChars) {
      end = start + this.maxLineChars;
      this.sink.problem('line-truncated', lineNo, `line longer than ${this.maxLineChars} characters was cut`);
    }
    let line = text.slice(start, end);
    if (hasEsc && line.indexOf('\x1b') >= 0) line = line.replace(ANSI_RE, '');
    if (hasBad && line.indexOf('\uFFFD') >= 0) this.sink.problem('invalid-utf8', lineNo, 'bytes that are not UTF-8 were replaced');
    if (hasJunk && JUNK_RE.test(line)) this.sink.problem('binary-junk', lineNo, BINARY_JUNK_DETAIL);
    this.sink.line(line, lineNo);
  }
}
