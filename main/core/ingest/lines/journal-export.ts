// The Journal Export Format (`journalctl -o export`, systemd-journal-gatewayd, systemd-journal-remote),
// read into the Journal JSON Format's lines (journal-json.ts reads those): one JSON object per entry.
// People ship a host's journal this way (`journalctl --no-pager -o export > journal.export`): it is complete
// and binary safe, where the text formats drop fields.
//
// The format (https://systemd.io/JOURNAL_EXPORT_FORMATS/, "Journal Export Format"):
//   - entries follow each other separated by an empty line (two newlines in a row);
//   - a field whose data is only non-control UTF-8 (code points >= 32, and TAB) is `NAME=data` and a newline;
//   - any other field (a newline in it, a control character, invalid UTF-8) is `NAME`, a newline, the data's
//     size as a 64-bit little-endian integer, the data, and a newline;
//   - metadata that is not a field reads like one with two underscores: __CURSOR=, __REALTIME_TIMESTAMP=,
//     __MONOTONIC_TIMESTAMP=, __SEQNUM=, __SEQNUM_ID=;
//   - a field may be given more than once in an entry (the first value is kept here, as journalctl's
//     short formats show the first MESSAGE).
//
// Example (two entries; the second's MESSAGE holds an escape sequence, so it is written binary):
//   __CURSOR=s=739ad463348b4ceca5a9e69c95a3c93f;i=4ece7;b=6c7c6013a8194b...;m=1a3f5c;t=5e3f...;x=...
//   __REALTIME_TIMESTAMP=1700000100000000
//   __MONOTONIC_TIMESTAMP=1100000000
//   _TRANSPORT=kernel
//   PRIORITY=3
//   SYSLOG_IDENTIFIER=kernel
//   MESSAGE=kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061
//   <empty line>
//   __CURSOR=...
//   MESSAGE
//   <8 bytes: 37 00 00 00 00 00 00 00><55 bytes of data>
//   <empty line>
//
// Only the fields journal-json.ts reads are carried over; the rest (a journal entry has 20-40) are dropped.

import { JOURNAL_JSON_FIELDS } from './journal-json';

/** A binary field's size beyond which the stream is taken for corrupt (journald's own limit is 64 MiB a field). */
export const MAX_FIELD_BYTES = 64 * 1024 * 1024;
/** A text field's line beyond which, without a newline, the stream is taken for corrupt. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const EQUALS = 0x3d;

/** Where and why a journal export stopped being readable. */
export class JournalExportError extends Error {
  constructor(
    readonly entry: number,
    readonly offset: number,
    reason: string,
  ) {
    super(`journal export entry ${entry} (byte ${offset}): ${reason}`);
    this.name = 'JournalExportError';
  }
}

/** A field name as journald writes it: upper-case letters, digits and underscores (leniently also lower case). */
function isFieldName(b: Uint8Array, start: number, end: number): boolean {
  if (end === start) return false;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

const ascii = (b: Uint8Array, start: number, end: number): string => String.fromCharCode(...b.subarray(start, end));

/**
 * Whether the first bytes of a file are the export format: its first line is a field, and the first entry
 * has the metadata journalctl writes first (__CURSOR, __REALTIME_TIMESTAMP) or the fields of a log entry
 * (MESSAGE with PRIORITY, _TRANSPORT or SYSLOG_IDENTIFIER), every line up to there being a field.
 */
export function detectJournalExport(head: Uint8Array): boolean {
  const firstEq = head.indexOf(EQUALS);
  const firstLf = head.indexOf(LF);
  if (firstEq <= 0 || firstLf < 0 || firstEq > firstLf || !isFieldName(head, 0, firstEq)) return false;
  const first = ascii(head, 0, firstEq);
  if (first === '__CURSOR' || first === '__REALTIME_TIMESTAMP') return true;
  const names = new Set<string>();
  for (let at = 0; at < head.length; ) {
    const lf = head.indexOf(LF, at);
    if (lf < 0 || lf === at) break; // the end of the head, or of the first entry
    const eq = head.subarray(at, lf).indexOf(EQUALS);
    if (eq < 0) break; // a binary field: its size and data follow
    if (!isFieldName(head, at, at + eq)) return false;
    names.add(ascii(head, at, at + eq));
    at = lf + 1;
  }
  return names.has('MESSAGE') && (names.has('PRIORITY') || names.has('_TRANSPORT') || names.has('SYSLOG_IDENTIFIER'));
}

/**
 * Reads an export stream chunk by chunk; each call returns the JSON lines of the entries it completed.
 * Throws JournalExportError where the stream stops being the format (the entries before it were returned).
 */
export class JournalExportReader {
  private buf: Uint8Array = new Uint8Array(0);
  /** Bytes of the stream before buf[0]. */
  private consumed = 0;
  private fields = new Map<string, string>();
  private entries = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Where the stream stopped being the format: thrown at the next call, after the entries before it. */
  private failure: JournalExportError | null = null;

  /** The JSON lines of the entries `chunk` completed. Throws an error met before (after returning what preceded it). */
  push(chunk: Uint8Array): string {
    this.throwIfFailed();
    this.buf = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    return this.parse(false);
  }

  /** The last entries (a stream need not end with an empty line); then call throwIfFailed. */
  end(): string {
    this.throwIfFailed();
    return this.parse(true);
  }

  /** Throws where the stream stopped being the format, if it did. */
  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** The JSON lines of the entries completed; on an error, those before it (the error is kept). */
  private parse(final: boolean): string {
    let out = '';
    try {
      this.entriesIn(final, (line) => {
        out += line;
      });
    } catch (e) {
      if (!(e instanceof JournalExportError)) throw e;
      this.failure = e;
      this.buf = new Uint8Array(0);
      this.fields = new Map();
    }
    return out;
  }

  private entriesIn(final: boolean, emit: (line: string) => void): void {
    const b = this.buf;
    let at = 0;
    for (;;) {
      if (at >= b.length) break;
      if (b[at] === LF) {
        emit(this.flush());
        at++;
        continue;
      }
      const lf = b.indexOf(LF, at);
      if (lf < 0) {
        if (b.length - at > MAX_LINE_BYTES) throw this.error(at, `a line of more than ${MAX_LINE_BYTES} bytes`);
        if (!final) break;
        // The stream ends without a newline: the last text field is whole.
        at = this.textField(b, at, b.length);
        break;
      }
      const eq = b.subarray(at, lf).indexOf(EQUALS);
      if (eq >= 0) {
        at = this.textField(b, at, lf) + 1;
        continue;
      }
      // A binary field: NAME \n size(le64) data \n
      if (!isFieldName(b, at, lf)) throw this.error(at, `not a field: "${this.decoder.decode(b.subarray(at, Math.min(lf, at + 60)))}"`);
      if (lf + 9 > b.length) {
        if (final) throw this.error(at, 'the stream ends inside a binary field');
        break;
      }
      const view = new DataView(b.buffer, b.byteOffset + lf + 1, 8);
      const size = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
      if (size > MAX_FIELD_BYTES) throw this.error(at, `a binary field of ${size} bytes (more than ${MAX_FIELD_BYTES})`);
      const dataAt = lf + 9;
      if (dataAt + size + 1 > b.length) {
        if (final) throw this.error(at, 'the stream ends inside a binary field');
        break;
      }
      if (b[dataAt + size] !== LF) throw this.error(at, 'a binary field not followed by a newline');
      this.set(ascii(b, at, lf), b, dataAt, dataAt + size);
      at = dataAt + size + 1;
    }
    this.consumed += at;
    this.buf = at >= b.length ? new Uint8Array(0) : b.slice(at);
    if (final) emit(this.flush());
  }

  /** `NAME=data` in b[start, end); returns end. */
  private textField(b: Uint8Array, start: number, end: number): number {
    const eq = b.subarray(start, end).indexOf(EQUALS);
    if (eq <= 0 || !isFieldName(b, start, start + eq)) throw this.error(start, `not a field: "${this.decoder.decode(b.subarray(start, Math.min(end, start + 60)))}"`);
    this.set(ascii(b, start, start + eq), b, start + eq + 1, end);
    return end;
  }

  private set(name: string, b: Uint8Array, start: number, end: number): void {
    if (JOURNAL_JSON_FIELDS.has(name) && !this.fields.has(name)) this.fields.set(name, this.decoder.decode(b.subarray(start, end)));
  }

  /** The entry read so far as one JSON line ('' when it has no field). */
  private flush(): string {
    if (this.fields.size === 0) return '';
    this.entries++;
    const line = JSON.stringify(Object.fromEntries(this.fields)) + '\n';
    this.fields = new Map();
    return line;
  }

  private error(at: number, reason: string): JournalExportError {
    return new JournalExportError(this.entries + 1, this.consumed + at, reason);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
