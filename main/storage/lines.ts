// Log lines: the writers the importers use, paging, and the full-text index (migrations 0002, 0004).
// Lines are stored in blocks of consecutive lines (line-block.ts). A kernel or VMM log is read and packed
// by LogLineSource (in the reader thread when the pipeline started one for a big bundle); small files of
// other kinds hand their lines over one by one (LineWriter). No transaction stays open across an await
// (the API keeps answering on the same connection meanwhile).
import type { Statement } from 'better-sqlite3';
import { prepared, writeTransaction, type Db } from './db';
import { INSERT_BLOCK_SQL, lineId } from './lines-sql';
import { batchBlocks, DecodedBlock, LineColumns } from './line-block';
import { LineProducer, type Produced, type ProducedEnd, type TextFileSpec } from './line-producer';
import { hasClockAt, hasHostAt, mayBeSkipped, skipAlike, tokenizedLine, type LineProblemNote } from '../core/ingest/lines/tokenized';
import type { LogLine } from '../core/ingest/lines/log-line';
import { startedLineWorker, type LineWorkerClient } from './lines-parallel';
import { loadCommitted } from './checkpointer';

/** Where LogLineSource gives out what it read: every line, in order, and the problems met. */
export interface LineSink {
  line(line: LogLine): void;
  problem(note: LineProblemNote): void;
  /**
   * Offered instead of line() for a prefixed line that fails the fault gate and is followed by a prefixed
   * line (`hasHost`, `hasClock`: what it names): true when the sink counted it and needs it no further,
   * so it is not built. Absent: every line is built.
   */
  skip?(hasHost: boolean, hasClock: boolean): boolean;
  /**
   * Right after skip() took a line: `n` more lines like it (offered to skip() with the same arguments,
   * nothing built in between) counted at once. skip() would take each of them: nothing it looks at
   * changes while lines are only counted.
   */
  skipMore?(n: number): void;
}

/** Tests turn it off to compare both ways of giving out lines. */
export const lineSkipping = { enabled: true };

/** Lines per transaction of the one-by-one writer. */
const TEXT_BATCH_LINES = 20_000;

export { lineId };

/** Stores a batch of one file's lines as blocks, in one transaction. */
function blockWriter(db: Db): (fileId: number, c: LineColumns) => void {
  const insert: Statement = db.prepare(INSERT_BLOCK_SQL);
  return (fileId, c) =>
    writeTransaction(db, () => {
      for (const b of batchBlocks(c)) insert.run(lineId(fileId, b.firstLine), b.count, b.meta, b.text);
    });
}

/** Writes one file's lines, given one by one, in this thread (small files: lspci, uname, cmdline). */
export class LineWriter {
  private readonly write: (fileId: number, c: LineColumns) => void;
  private total = 0;
  private columns = new LineColumns(TEXT_BATCH_LINES);

  constructor(
    db: Db,
    private readonly fileId: number,
  ) {
    this.write = blockWriter(db);
  }

  get count(): number {
    return this.total;
  }

  add(lineNo: number, tsNs: bigint | null, cpu: number | null, pid: number | null, level: number | null, text: string): void {
    this.total++;
    this.columns.add(lineNo, tsNs, cpu, pid, level, text);
    if (this.columns.count === this.columns.capacity) this.flush();
  }

  /** Writes what is left. */
  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.columns.count === 0) return;
    const full = this.columns;
    this.columns = new LineColumns(TEXT_BATCH_LINES);
    this.write(this.fileId, full);
  }
}

/** Chunks handed to the reader thread and not yet taken back (bounded memory, and no stall). */
const MAX_IN_FLIGHT = 4;

/**
 * A kernel or VMM log's bytes -> its lines, stored and tokenized for the fault path (line-producer.ts):
 * read in the reader thread when the pipeline started one for a big bundle, else in this thread. `push`
 * each input chunk and `end` once; both store the blocks read so far and give their lines to `sink`, in
 * order, rebuilt from the blocks and the tokens that came with them.
 */
export class LogLineSource {
  private readonly insert: Statement;
  private queue: Promise<Produced | ProducedEnd | null>[] = [];

  private constructor(
    private readonly db: Db,
    private readonly spec: TextFileSpec,
    private readonly client: LineWorkerClient | null,
    private readonly local: LineProducer | null,
  ) {
    this.insert = prepared(db, INSERT_BLOCK_SQL);
  }

  static async open(db: Db, spec: TextFileSpec): Promise<LogLineSource> {
    const client = (await startedLineWorker(db)) ?? null;
    if (client !== null && client.error === null) {
      const opened = client.request({ type: 'open', spec });
      opened.catch(() => undefined);
      const source = new LogLineSource(db, spec, client, null);
      source.queue.push(opened);
      return source;
    }
    return new LogLineSource(db, spec, null, new LineProducer(spec));
  }

  /** Whether the reader thread reads this file (for tests and figures). */
  get threaded(): boolean {
    return this.client !== null;
  }

  async push(chunk: Uint8Array, sink: LineSink): Promise<void> {
    if (this.local !== null) {
      this.take(this.local.bytes(chunk), sink);
      return;
    }
    const bytes = new Uint8Array(chunk); // this thread's copy, moved to the reader
    const read = this.client!.request({ type: 'bytes', fileId: this.spec.fileId, bytes }, [bytes.buffer as ArrayBuffer]);
    read.catch(() => undefined); // awaited below or, after a cancel, never
    this.queue.push(read);
    while (this.queue.length > MAX_IN_FLIGHT) this.take(await this.queue.shift()!, sink);
  }

  /** The last lines; resolves with the file's line count and year inference once all are given out. */
  async end(sink: LineSink): Promise<ProducedEnd> {
    if (this.local !== null) {
      const last = this.local.end();
      this.take(last, sink);
      return last;
    }
    const last = this.client!.request({ type: 'end', fileId: this.spec.fileId });
    for (const q of this.queue.splice(0)) this.take(await q, sink);
    const end = (await last) as ProducedEnd;
    this.take(end, sink);
    return end;
  }

  /** Stores what was read (one transaction per chunk) and gives out its lines and problems. */
  private take(p: Produced | ProducedEnd | null, sink: LineSink): void {
    if (p === null) return;
    const blocks = p.packs.flatMap((pack) => pack.blocks);
    if (blocks.length > 0) {
      let bytes = 0;
      writeTransaction(this.db, () => {
        for (const b of blocks) {
          this.insert.run(lineId(this.spec.fileId, b.firstLine), b.count, b.meta, b.text);
          bytes += b.meta.length + b.text.length;
        }
      });
      loadCommitted(this.db, bytes);
    }
    for (const { blocks, tokens } of p.packs) {
      for (const n of tokens.problems) sink.problem(n);
      let k = 0;
      const skip = lineSkipping.enabled ? sink.skip : undefined;
      for (const b of blocks) {
        // Decoded once a line of it is built: most blocks of a big log have none.
        let d: DecodedBlock | null = null;
        for (let i = 0; i < b.count; i++, k++) {
          // Most lines of a big log cannot matter to the fault path: those are counted, not built (no
          // strings, no BigInt time, no objects for the joiner), when the sink says so; the run of such
          // lines after one it took, at once.
          if (skip !== undefined && mayBeSkipped(tokens, k) && skip.call(sink, hasHostAt(tokens, k), hasClockAt(tokens, k))) {
            if (sink.skipMore === undefined) continue;
            let n = 0;
            while (i + n + 1 < b.count && mayBeSkipped(tokens, k + n + 1) && skipAlike(tokens, k + n + 1, k)) n++;
            if (n > 0) sink.skipMore(n);
            i += n;
            k += n;
            continue;
          }
          d ??= new DecodedBlock(b.meta, b.text);
          sink.line(tokenizedLine(tokens, k, b.firstLine + i, d.textOf(i), d.tsAt(i), d.cpuAt(i), d.pidAt(i), d.levelAt(i)));
        }
      }
    }
  }
}

export interface StoredLine {
  readonly lineNo: number;
  readonly tsNs: bigint | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly level: number | null;
  readonly text: string;
}

interface BlockRowRaw {
  id: number;
  count: number;
  meta: Buffer;
  text: Buffer;
}

/** The blocks of a file from the one holding line `fromLine` on, in line order. */
function blocksFrom(db: Db, fileId: number, fromLine: number): IterableIterator<BlockRowRaw> {
  const first = lineId(fileId, 0);
  const target = lineId(fileId, Math.max(1, fromLine));
  return db
    .prepare(
      `SELECT id, count, meta, text FROM line_blocks
        WHERE id BETWEEN coalesce((SELECT max(id) FROM line_blocks WHERE id BETWEEN ? AND ?), ?) AND ?
        ORDER BY id`,
    )
    .iterate(first, target, target, lineId(fileId, 4294967295)) as IterableIterator<BlockRowRaw>;
}

/** Lines fromLine..fromLine+limit-1 of a file (a primary-key range scan over its blocks). */
export function pageLines(db: Db, fileId: number, fromLine: number, limit: number): StoredLine[] {
  const out: StoredLine[] = [];
  const from = Math.max(1, fromLine);
  if (limit <= 0) return out;
  for (const row of blocksFrom(db, fileId, from)) {
    const firstLine = row.id - lineId(fileId, 0);
    const block = new DecodedBlock(row.meta, row.text);
    for (let i = Math.max(0, from - firstLine); i < block.count; i++) {
      out.push({ lineNo: firstLine + i, ...block.line(i) });
      if (out.length === limit) return out;
    }
  }
  return out;
}

/**
 * A user's words as an FTS5 query that cannot be a syntax error: each word becomes a quoted string
 * (quotes doubled), a trailing `*` on a word stays a prefix search, words are ANDed.
 */
export function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const terms = words
    .map((w) => {
      const prefix = w.length > 1 && w.endsWith('*');
      const core = (prefix ? w.slice(0, -1) : w).replace(/"/g, '""');
      return core.length === 0 ? null : `"${core}"${prefix ? '*' : ''}`;
    })
    .filter((t): t is string => t !== null);
  return terms.length === 0 ? null : terms.join(' ');
}

export interface SearchHit {
  readonly fileId: number;
  readonly lineNo: number;
  readonly tsNs: bigint | null;
  readonly text: string;
}

/** Full-text search within the given files (a bundle's), best matches first. */
export function searchLines(db: Db, fileIds: readonly number[], query: string, limit: number): SearchHit[] {
  const match = ftsQuery(query);
  if (match === null || fileIds.length === 0) return [];
  const ids = db
    .prepare(
      `SELECT rowid FROM lines_fts
        WHERE lines_fts MATCH ? AND (rowid >> 32) IN (SELECT value FROM json_each(?))
        ORDER BY rank LIMIT ?`,
    )
    .pluck()
    .all(match, JSON.stringify(fileIds), limit) as number[];
  const blockAt = db.prepare(`SELECT id, count, meta, text FROM line_blocks WHERE id <= ? ORDER BY id DESC LIMIT 1`);
  const blocks = new Map<number, DecodedBlock>();
  const hits: SearchHit[] = [];
  for (const id of ids) {
    const row = blockAt.get(id) as BlockRowRaw | undefined;
    if (row === undefined || id >= row.id + row.count) continue; // indexed, then its file was re-stored
    let block = blocks.get(row.id);
    if (block === undefined) blocks.set(row.id, (block = new DecodedBlock(row.meta, row.text)));
    const line = block.line(id - row.id);
    const fileId = Math.floor(id / 4294967296);
    hits.push({ fileId, lineNo: id - lineId(fileId, 0), tsNs: line.tsNs, text: line.text });
  }
  return hits;
}

/** Rows per search-index transaction: ~0.1 s each, so the API keeps answering while a big file is indexed. */
export const INDEX_CHUNK_LINES = 50_000;

/**
 * Adds the next chunk of a file's lines to the search index, in one transaction with the file's
 * watermark. Returns the lines still to index after it (0 when the file is done).
 */
export function indexNextChunk(db: Db, fileId: number, chunk = INDEX_CHUNK_LINES): number {
  return writeTransaction(db, () => {
    const f = db.prepare(`SELECT lines, fts_indexed AS indexed FROM files WHERE id = ?`).get(fileId) as { lines: number; indexed: number } | undefined;
    if (f === undefined || f.indexed >= f.lines) return 0;
    const to = Math.min(f.lines, f.indexed + chunk);
    const rows: BlockRowRaw[] = [];
    for (const row of blocksFrom(db, fileId, f.indexed + 1)) {
      if (row.id > lineId(fileId, to)) break;
      rows.push(row);
    }
    const insert = db.prepare(`INSERT INTO lines_fts (rowid, text) VALUES (?, ?)`);
    for (const row of rows) {
      const block = new DecodedBlock(row.meta, row.text);
      const firstLine = row.id - lineId(fileId, 0);
      for (let i = Math.max(0, f.indexed + 1 - firstLine); i < block.count && firstLine + i <= to; i++) insert.run(row.id + i, block.textOf(i));
    }
    db.prepare(`UPDATE files SET fts_indexed = ? WHERE id = ?`).run(to, fileId);
    return f.lines - to;
  });
}

/** Files of complete bundles whose lines are not all in the search index yet. */
export function filesToIndex(db: Db, bundleId?: number): { id: number; remaining: number }[] {
  const sql = `SELECT f.id, f.lines - f.fts_indexed AS remaining FROM files f JOIN bundles b ON b.id = f.bundle_id
                WHERE f.fts_indexed < f.lines AND b.status = 'complete' ${bundleId === undefined ? '' : 'AND b.id = ?'}
                ORDER BY f.id`;
  const stmt = db.prepare(sql);
  return (bundleId === undefined ? stmt.all() : stmt.all(bundleId)) as { id: number; remaining: number }[];
}

/** Lines of a bundle not yet searchable (0 when search over it is complete). */
export function linesToIndex(db: Db, bundleId: number): number {
  return db.prepare(`SELECT coalesce(sum(lines - fts_indexed), 0) FROM files WHERE bundle_id = ?`).pluck().get(bundleId) as number;
}
