// The forms a plain file (neither compressed nor an archive) is recognized in, by its first bytes, and what
// each is read as: UTF-16 text decoded to UTF-8; a journal (systemd's own file, -o json-pretty, -o verbose,
// -o export, -o json) as `journalctl -o json` lines, one entry a line, on one clock; a LAVA job log as its
// device's console; lines ended by CR alone with LF; anything else as it is. The conversions themselves are
// text-encoding.ts's, journal-file.ts's and journal-boots.ts's.
import { detectJournalExport } from '../../core/ingest/lines/journal-export';
import { detectJournalFile } from '../../core/ingest/lines/journal-file';
import { detectJournalJsonPretty } from '../../core/ingest/lines/journal-json-pretty';
import { detectJournalVerbose } from '../../core/ingest/lines/journal-verbose';
import { detectJournalJsonLines } from '../../core/ingest/lines/journal-json';
import { detectLavaLog } from '../../core/ingest/lines/lava-log';
import { journalOnOneClock } from './journal-boots';
import { journalFileToJson } from './journal-file';
import { Peekable } from './peekable';
import { HEAD, problem, type DiskFile, type SourceItem, type WalkOptions } from './source-items';
import { crToLf, decodeUtf16, detectCrLineEnds, detectUtf16, journalExportToJson, journalJsonPrettyToLines, journalVerboseToLines, lavaLogToText } from './text-encoding';

/** Bytes looked at for the line ends of a text file (what the importers' sniffers see too). */
const LINE_END_SAMPLE = 64 * 1024;

/** A plain file's leaf file, in the form its first bytes show, after the problem that says it was converted. */
export async function* expandPlain(
  path: string,
  content: Peekable,
  head: Buffer,
  storedSize: number | null,
  contentSize: number | null,
  mtimeMs: number | null,
  options: WalkOptions,
  unique: (p: string) => string,
  /** The file on disk `content` reads, unchanged (LeafFile.disk); null within archives and compressed data. */
  disk: DiskFile | null,
): AsyncGenerator<SourceItem> {
  const utf16 = detectUtf16(head);
  if (utf16 !== null) {
    yield problem('text-utf16', path, `text in ${utf16.toUpperCase()} was decoded to UTF-8`);
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(decodeUtf16(utf16, content.rest())) } };
  } else if (detectJournalFile(head)) {
    yield problem('journal-file', path, 'a systemd journal file was read entry by entry, as journalctl -o json gives it');
    const entries = Peekable.of(journalFileToJson(content.rest(), contentSize, options.signal));
    await entries.peek(HEAD);
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: entries, form: 'journal-file' } };
  } else if (detectJournalJsonPretty(await content.peek(LINE_END_SAMPLE))) {
    yield problem('journal-json-pretty', path, 'a journal in json-pretty (journalctl -o json-pretty) was read one entry a line, as journalctl -o json gives it');
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(journalOnOneClock(content.rest(), journalJsonPrettyToLines, options.signal)), form: 'journal-json-pretty' } };
  } else if (detectJournalVerbose(head)) {
    yield problem('journal-verbose', path, 'a journal in the verbose form (journalctl -o verbose) was read one entry a line, as journalctl -o json gives it');
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(journalOnOneClock(content.rest(), journalVerboseToLines, options.signal)), form: 'journal-verbose' } };
  } else if (detectJournalExport(head)) {
    yield problem('journal-export', path, 'a journal in the export format (journalctl -o export) was read one entry a line, as journalctl -o json gives it');
    const entries = Peekable.of(journalOnOneClock(content.rest(), journalExportToJson, options.signal));
    // A stream that is not the format from its first entry on is reported here, as a file that cannot be read.
    await entries.peek(HEAD);
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: entries, form: 'journal-export' } };
  } else if (detectJournalJsonLines(head)) {
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(journalOnOneClock(content.rest(), (chunks) => chunks, options.signal)) } };
  } else if (detectLavaLog(head)) {
    yield problem('lava-log', path, "a LAVA job log was read as its device's console: a line a record, LAVA's own records as `LAVA <level>: …`");
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(lavaLogToText(content.rest())), form: 'lava-log' } };
  } else if (detectCrLineEnds(await content.peek(LINE_END_SAMPLE))) {
    yield problem('text-cr-lines', path, 'lines ended by a carriage return alone were read as lines');
    yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(crToLf(content.rest())) } };
  } else {
    yield { kind: 'file', file: { path: unique(path), storedSize, size: contentSize, mtimeMs, content, ...(disk !== null ? { disk } : {}) } };
  }
}
