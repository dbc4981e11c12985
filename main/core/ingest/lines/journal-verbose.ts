// `journalctl -o verbose` (sosreport's logs plugin collected `journalctl --all --this-boot --no-pager -o
// verbose`): every field of every entry, an entry a header line followed by its fields. Read into the
// Journal JSON Format's lines (journal-json.ts reads those), one object per entry, like the export format.
//
// The shape, as systemd's logs-show.c (output_verbose) prints it:
//   - the header: the entry's time (as `-o short-full` with microseconds) and its cursor in brackets;
//     the cursor's `m=` and `t=` are the entry's __MONOTONIC_TIMESTAMP and __REALTIME_TIMESTAMP in hex µs:
//       Mon 2020-06-01 14:55:52.431106 UTC [s=ee88…;i=1;b=5a1e…;m=56fe9d202;t=5a706fdc04202;x=26dd…]
//   - each field on its own line, four spaces in: `    NAME=value`;
//   - a value of several lines continues on lines indented by the width of `    NAME=`
//     (print_multiline), so `    MESSAGE=first` is followed by `            second`;
//   - without `--all`, a value that is not printable text or is long is `[39B blob data]` (kept as it is:
//     the bytes are not in the file);
//   - journalctl's own notes start with `-- ` (`-- Logs begin at …`, `-- No entries --`).
//
// Example (one kernel entry; a real one has a dozen more fields):
//   Mon 2020-06-01 14:55:52.431938 UTC [s=ee88…;i=2;b=5a1e…;m=56fe9d542;t=5a706fdc04542;x=64f7…]
//       _TRANSPORT=kernel
//       PRIORITY=4
//       _SOURCE_MONOTONIC_TIMESTAMP=23352431935
//       MESSAGE=Mem abort info:
//
// Only the fields journal-json.ts reads are carried over; a field given twice keeps its first value. A line
// outside any entry that is not a note is kept as an entry whose message is that line.
import { JOURNAL_JSON_FIELDS } from './journal-json';
import { TextLines } from './text-lines';

//   weekday? date time.fraction zone [cursor with m= and t=]
const HEADER_RE = /^(?:[A-Z][a-z]{2} )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: \S+)? \[([^\]]*)\]\s*$/;
const CURSOR_TIMES_RE = /(?:^|;)m=([0-9a-f]{1,16});t=([0-9a-f]{1,16})(?:;|$)/;
const FIELD_RE = /^ {4}([A-Za-z0-9_]+)=/;
/** A line longer than this without a newline is cut there (journald's own limit is 64 MiB a field). */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Whether a file's first bytes are `-o verbose`: a header line with a cursor, then a field line. */
export function detectJournalVerbose(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 8192));
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let i = 0;
  while (i < lines.length - 1 && lines[i]!.startsWith('-- ')) i++;
  const m = HEADER_RE.exec(lines[i] ?? '');
  return m !== null && CURSOR_TIMES_RE.test(m[1]!) && i + 1 < lines.length && FIELD_RE.test(lines[i + 1]!);
}

const hexMicros = (hex: string): string => BigInt(`0x${hex}`).toString();

/** Reads `-o verbose` chunk by chunk; each call returns the entries it completed, one JSON object a line. */
export class JournalVerboseReader {
  private readonly lines = new TextLines(MAX_LINE_CHARS);
  private entry: Record<string, string> | null = null;
  /** The field whose value the next continuation lines extend, and their indent. */
  private field: string | null = null;
  private indent = 0;

  push(chunk: Uint8Array): string {
    return this.lines.push(chunk, (l) => this.line(l));
  }

  end(): string {
    return this.lines.end((l) => this.line(l)) + this.close();
  }

  private line(line: string): string {
    const header = HEADER_RE.exec(line);
    const times = header === null ? null : CURSOR_TIMES_RE.exec(header[1]!);
    if (times !== null) {
      const out = this.close();
      this.entry = { __MONOTONIC_TIMESTAMP: hexMicros(times[1]!), __REALTIME_TIMESTAMP: hexMicros(times[2]!) };
      return out;
    }
    const field = FIELD_RE.exec(line);
    if (field !== null && this.entry !== null) {
      const name = field[1]!;
      // Fields journal-json.ts does not read are passed over, and so are their continuation lines.
      const keep = JOURNAL_JSON_FIELDS.has(name) && !(name in this.entry);
      this.field = keep ? name : '';
      this.indent = field[0].length;
      if (keep) this.entry[name] = line.slice(field[0].length);
      return '';
    }
    if (this.entry !== null && this.field !== null && line.startsWith(' '.repeat(this.indent))) {
      if (this.field !== '') this.entry[this.field] += `\n${line.slice(this.indent)}`;
      return '';
    }
    if (line.startsWith('-- ') || line.trim() === '') return '';
    // Not the format here (a line of something else pasted in): kept, as a message of its own.
    return this.close() + `${JSON.stringify({ MESSAGE: line })}\n`;
  }

  private close(): string {
    const e = this.entry;
    this.entry = null;
    this.field = null;
    return e === null ? '' : `${JSON.stringify(e)}\n`;
  }
}
