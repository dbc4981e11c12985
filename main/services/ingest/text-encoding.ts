// Text forms every importer reads only after a conversion: UTF-16, lines ended by CR alone, and the
// journal's export and json-pretty formats.
//
// Text in UTF-16, as Windows tools save it (PowerShell's `>` redirect, Notepad's "Unicode"): a support
// engineer's `ssh host dmesg > dmesg.txt` in PowerShell gives UTF-16LE with a byte order mark. Every
// importer reads UTF-8, and to them UTF-16 is binary (a NUL in every other byte), so such a file was
// skipped whole. It is recognized here from its first bytes and decoded to UTF-8 as it streams.
//
// The encoding forms are the Unicode Standard's (§3.9-3.10, UTF-16BE/UTF-16LE, and the byte order mark
// U+FEFF, §23.8); decoding is the WHATWG Encoding Standard's utf-16le/utf-16be decoders (TextDecoder),
// which replace unpaired surrogates with U+FFFD and drop a leading byte order mark.

import { JournalExportReader } from '../../core/ingest/lines/journal-export';
import { JournalJsonPrettyReader } from '../../core/ingest/lines/journal-json-pretty';
import { JournalVerboseReader } from '../../core/ingest/lines/journal-verbose';
import { LavaLogReader } from '../../core/ingest/lines/lava-log';

export type Utf16 = 'utf-16le' | 'utf-16be';

/** Bytes of the head looked at without a byte order mark, and the share of its code units that must be ASCII text. */
const SAMPLE_BYTES = 4096;
const MIN_UNITS = 32;
const ASCII_SHARE = 0.9;

/** An ASCII character a log holds: printable, TAB, LF, CR. */
const isTextAscii = (c: number): boolean => (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * UTF-16 text: a byte order mark (FF FE, not followed by 00 00, which would be UTF-32LE; or FE FF), or,
 * without one, code units that are nearly all ASCII text (one byte zero, the other a printable character)
 * with at least one line break.
 */
export function detectUtf16(head: Uint8Array): Utf16 | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0 && head[3] === 0)) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, SAMPLE_BYTES) & ~1;
  const units = n / 2;
  if (units < MIN_UNITS) return null;
  let le = 0;
  let be = 0;
  let lf = false;
  for (let i = 0; i < n; i += 2) {
    const a = head[i]!;
    const b = head[i + 1]!;
    if (b === 0 && isTextAscii(a)) le++;
    else if (a === 0 && isTextAscii(b)) be++;
    if ((a === 0x0a && b === 0) || (a === 0 && b === 0x0a)) lf = true;
  }
  if (!lf) return null;
  if (le >= units * ASCII_SHARE) return 'utf-16le';
  if (be >= units * ASCII_SHARE) return 'utf-16be';
  return null;
}

/** The text of `chunks` (in `encoding`) as UTF-8, chunk by chunk (a code unit or pair cut between chunks is kept whole). */
export async function* decodeUtf16(encoding: Utf16, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const last = decoder.decode();
  if (last.length > 0) yield Buffer.from(last, 'utf8');
}

// Lines ended by a carriage return alone (CR, no LF): a raw serial capture (the UART's CR without the
// terminal's newline mapping) or a classic Mac text file. Every reader ends lines at LF, so such a file
// was one giant line, cut at 64 Ki characters. It is recognized from its first bytes (no LF at all, CRs
// between text) and its CRs become LFs as it streams (a CR LF pair met later stays one line end).

/** At least this many CR-ended pieces of text, and no LF, in the sample: a file of CR-ended lines. */
const MIN_CR_LINES = 3;

/** No LF in `sample`, and CRs that end at least MIN_CR_LINES pieces of text (NUL-free: not binary). */
export function detectCrLineEnds(sample: Uint8Array): boolean {
  if (sample.indexOf(0x0a) >= 0 || sample.indexOf(0) >= 0) return false;
  let lines = 0;
  for (let at = 0, cr = sample.indexOf(0x0d); cr >= 0; at = cr + 1, cr = sample.indexOf(0x0d, at)) {
    if (cr > at) lines++;
  }
  return lines >= MIN_CR_LINES;
}

/** `chunks` with every CR made an LF, and the LF of a CR LF pair dropped (also across chunks). */
export async function* crToLf(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let afterCr = false;
  for await (const chunk of chunks) {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x0a && afterCr) {
        afterCr = false;
        continue;
      }
      afterCr = b === 0x0d;
      out[n++] = afterCr ? 0x0a : b;
    }
    if (n > 0) yield out.subarray(0, n);
  }
}

// The journal's export format (`journalctl -o export`): an entry is a run of `NAME=value` lines (or
// length-prefixed binary fields), so no log reader found its messages. It becomes the JSON form, one entry
// a line (core/ingest/lines/journal-export.ts), which the kernel-log importer reads like `journalctl -o json`.

/** A reader of a journal form: the JSON lines of what each chunk completed, then of the rest. */
interface EntryReader {
  push(chunk: Uint8Array): string;
  end(): string;
  /** Throws where the input stopped being the form (after the lines before it were given). */
  throwIfFailed?(): void;
}

async function* entryLines(reader: EntryReader, chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    const lines = reader.push(chunk);
    if (lines.length > 0) yield Buffer.from(lines, 'utf8');
  }
  const last = reader.end();
  if (last.length > 0) yield Buffer.from(last, 'utf8');
  reader.throwIfFailed?.();
}

/** `chunks` of a journal export as JSON lines; a JournalExportError where the stream stops being the format. */
export function journalExportToJson(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  return entryLines(new JournalExportReader(), chunks);
}

/** `chunks` of `journalctl -o json-pretty` as one entry's object a line (core/ingest/lines/journal-json-pretty.ts). */
export function journalJsonPrettyToLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  return entryLines(new JournalJsonPrettyReader(), chunks);
}

/** `chunks` of a LAVA job log as the console text of its records, a line each (core/ingest/lines/lava-log.ts). */
export function lavaLogToText(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  return entryLines(new LavaLogReader(), chunks);
}

/** `chunks` of `journalctl -o verbose` as one entry's object a line (core/ingest/lines/journal-verbose.ts). */
export function journalVerboseToLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  return entryLines(new JournalVerboseReader(), chunks);
}
