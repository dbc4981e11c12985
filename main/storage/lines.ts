// Log lines: the bulk writer the importers use, paging, and the full-text index (migration 0002).
// Writes go through one prepared multi-row INSERT, in transactions of LINES_PER_TRANSACTION rows that
// never stay open across an await (the API keeps answering on the same connection meanwhile).
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { insertSql, lineId, ROWS_PER_STATEMENT } from './lines-sql';
import { LineColumns, lineWorker, type LineWorkerClient } from './lines-parallel';

/** Rows per transaction (../shared/docs/PERFORMANCE.md: 50k-100k). */
export const LINES_PER_TRANSACTION = 20_000;
/** A file longer than this is written by the writer thread from here on (small files are not worth it). */
const THREAD_AFTER_LINES = 20_000;
const COLUMNS = 6;

export { lineId };

/**
 * Writes one file's lines in big transactions: in the importing thread at first, then (for a big file,
 * on a database file) through the writer thread while the importer goes on parsing. Call `wait()` once
 * per input chunk (it applies back-pressure and makes the switch) and `finish()` at the end.
 */
export class LineWriter {
  private readonly many: Statement;
  private readonly one: Statement;
  private readonly params: unknown[] = [];
  private buffered = 0;
  private total = 0;
  private client: LineWorkerClient | null = null;
  private starting: Promise<LineWorkerClient | null> | null = null;
  private columns: LineColumns | null = null;

  constructor(
    private readonly db: Db,
    private readonly fileId: number,
  ) {
    this.many = db.prepare(insertSql(ROWS_PER_STATEMENT));
    this.one = db.prepare(insertSql(1));
  }

  get count(): number {
    return this.total;
  }

  /** Whether the writer thread took over (for tests and figures). */
  get threaded(): boolean {
    return this.client !== null;
  }

  add(lineNo: number, tsNs: bigint | null, cpu: number | null, pid: number | null, level: number | null, text: string): void {
    this.total++;
    const cols = this.columns;
    if (cols !== null) {
      cols.add(lineNo, tsNs, cpu, pid, level, text);
      if (cols.count === cols.capacity) this.sendColumns();
      return;
    }
    this.params.push(lineId(this.fileId, lineNo), tsNs, cpu, pid, level, text);
    if (++this.buffered >= LINES_PER_TRANSACTION) this.flushLocal();
    if (this.total === THREAD_AFTER_LINES && this.starting === null) this.starting = lineWorker(this.db);
  }

  /** Back-pressure and the switch to the writer thread; await it between input chunks. */
  async wait(): Promise<void> {
    if (this.starting !== null && this.client === null) {
      const client = await this.starting;
      this.starting = Promise.resolve(null);
      if (client !== null) {
        this.flushLocal();
        this.client = client;
        this.columns = new LineColumns(LINES_PER_TRANSACTION);
      }
    }
    if (this.client !== null) await this.client.below();
  }

  /** Writes what is left and waits until every line of the file is committed. */
  async finish(): Promise<void> {
    this.flushLocal();
    if (this.client !== null) {
      if (this.columns !== null && this.columns.count > 0) this.sendColumns();
      this.columns = null;
      await this.client.drain();
    }
  }

  private sendColumns(): void {
    const cols = this.columns!;
    this.client!.send(cols.batch(this.fileId));
    this.columns = new LineColumns(LINES_PER_TRANSACTION);
  }

  /** Writes what is buffered in this thread, in one transaction. */
  private flushLocal(): void {
    if (this.buffered === 0) return;
    const p = this.params;
    const n = this.buffered;
    this.db.transaction(() => {
      const full = Math.floor(n / ROWS_PER_STATEMENT) * ROWS_PER_STATEMENT;
      const width = ROWS_PER_STATEMENT * COLUMNS;
      for (let row = 0; row < full; row += ROWS_PER_STATEMENT) this.many.run(p.slice(row * COLUMNS, row * COLUMNS + width));
      for (let row = full; row < n; row++) this.one.run(p.slice(row * COLUMNS, row * COLUMNS + COLUMNS));
    })();
    this.buffered = 0;
    this.params.length = 0;
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

interface RawLine {
  lineNo: number;
  tsNs: bigint | null;
  cpu: number | null;
  pid: number | null;
  level: number | null;
  text: string;
}

/** Lines fromLine..fromLine+limit-1 of a file (a primary-key range scan). */
export function pageLines(db: Db, fileId: number, fromLine: number, limit: number): StoredLine[] {
  const start = lineId(fileId, Math.max(1, fromLine));
  const end = lineId(fileId, 4294967295);
  return db
    .prepare(
      `SELECT line_no AS lineNo, ts_ns AS tsNs, cpu, pid, level, text FROM lines WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?`,
    )
    .safeIntegers(true)
    .all(start, end, limit)
    .map((r) => normalize(r as RawLine));
}

function normalize(r: RawLine): StoredLine {
  const n = (v: unknown): number | null => (v === null ? null : Number(v));
  return { lineNo: Number(r.lineNo), tsNs: r.tsNs, cpu: n(r.cpu), pid: n(r.pid), level: n(r.level), text: r.text };
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
  const rows = db
    .prepare(
      `SELECT l.file_id AS fileId, l.line_no AS lineNo, l.ts_ns AS tsNs, l.text AS text
         FROM lines_fts f JOIN lines l ON l.id = f.rowid
        WHERE lines_fts MATCH ? AND (f.rowid >> 32) IN (SELECT value FROM json_each(?))
        ORDER BY f.rank LIMIT ?`,
    )
    .safeIntegers(true)
    .all(match, JSON.stringify(fileIds), limit) as { fileId: bigint; lineNo: bigint; tsNs: bigint | null; text: string }[];
  return rows.map((r) => ({ fileId: Number(r.fileId), lineNo: Number(r.lineNo), tsNs: r.tsNs, text: r.text }));
}

/** Rows per search-index transaction: ~0.1 s each, so the API keeps answering while a big file is indexed. */
export const INDEX_CHUNK_LINES = 50_000;

/**
 * Adds the next chunk of a file's lines to the search index, in one transaction with the file's
 * watermark. Returns the lines still to index after it (0 when the file is done).
 */
export function indexNextChunk(db: Db, fileId: number, chunk = INDEX_CHUNK_LINES): number {
  return db.transaction(() => {
    const f = db.prepare(`SELECT lines, fts_indexed AS indexed FROM files WHERE id = ?`).get(fileId) as { lines: number; indexed: number } | undefined;
    if (f === undefined || f.indexed >= f.lines) return 0;
    const to = Math.min(f.lines, f.indexed + chunk);
    db.prepare(`INSERT INTO lines_fts (rowid, text) SELECT id, text FROM lines WHERE id BETWEEN ? AND ?`).run(
      lineId(fileId, f.indexed + 1),
      lineId(fileId, to),
    );
    db.prepare(`UPDATE files SET fts_indexed = ? WHERE id = ?`).run(to, fileId);
    return f.lines - to;
  })();
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
