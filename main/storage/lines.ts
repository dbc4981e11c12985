// Log lines: the writers the importers use, paging, and the full-text index (migrations 0002, 0004).
// Lines are stored in blocks of consecutive lines (line-block.ts). A kernel or VMM log is read and packed
// by LogLineSource (in the reader thread when the pipeline started one for a big bundle); small files of
// other kinds hand their lines over one by one (LineWriter). No transaction stays open across an await
// (the API keeps answering on the same connection meanwhile).
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { INSERT_BLOCK_SQL, lineId } from './lines-sql';
import { batchBlocks, DecodedBlock, LineColumns } from './line-block';
import { LineProducer, type PieceSpec, type Produced, type ProducedEnd, type ProducedPiece, type TextFileSpec } from './line-producer';
import { PieceCutter } from './line-pieces';
import { mayMatterAt, tokenizedLine, type LineProblemNote } from '../core/ingest/lines/tokenized';
import type { LineState, LogLine } from '../core/ingest/lines/log-line';
import { startedLineWorker, type LineWorkerClient } from './lines-parallel';
import type { StoreRow } from './lines-protocol';

/** Where LogLineSource gives out what it read: every line, in order, and the problems met. */
export interface LineSink {
  /** `mayMatter`: what the fault gate said of the line where it was read (kernel-log/assembler.ts). */
  line(line: LogLine, mayMatter: boolean): void;
  problem(note: LineProblemNote): void;
}

/** Lines per transaction of the one-by-one writer. */
const TEXT_BATCH_LINES = 20_000;

export { lineId };

/** Stores a batch of one file's lines as blocks, in one transaction. */
function blockWriter(db: Db): (fileId: number, c: LineColumns) => void {
  const insert: Statement = db.prepare(INSERT_BLOCK_SQL);
  return (fileId, c) =>
    db.transaction(() => {
      for (const b of batchBlocks(c, c.count, c.texts.join(''))) insert.run(lineId(fileId, b.firstLine), b.count, b.meta, b.text);
    })();
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

/** Pieces read or being read and not yet taken back (bounded memory, and no stall). */
const MAX_IN_FLIGHT = 4;
/**
 * `readHereFrom`: from this many pieces waiting for the reader thread, the importing thread reads the next
 * piece itself: whichever thread has time reads, so both cores stay busy whether reading or storing is
 * the slower. Tests lower it to have both threads read pieces of one file.
 */
export const linePieces = { readHereFrom: 3 };

/** A piece read (or being read), or one to read when its turn comes (`bytes`: a log with delta stamps). */
type PendingPiece =
  | { readonly spec: PieceSpec; readonly done: Promise<{ readonly produced: ProducedPiece; readonly bytes?: Uint8Array | undefined }> }
  | { readonly spec: PieceSpec; readonly bytes: Uint8Array };

/**
 * A kernel or VMM log's bytes -> its lines, stored and tokenized for the fault path (line-producer.ts).
 * For a big bundle the pipeline started a reader thread: the file is cut into pieces at LFs
 * (line-pieces.ts), each read by the thread or, when the thread is behind, by this one, and taken back in
 * order: line numbers and the line state (dmesg -H deltas) carried from piece to piece, a piece that
 * needed the state before it read again with it. Otherwise the file is read here, chunk after chunk.
 * `push` each input chunk and `end` once; both store the blocks read so far and give their lines to
 * `sink`, in order, rebuilt from the blocks and the tokens that came with them.
 */
export class LogLineSource {
  private readonly insert: Statement;
  private readonly pieces: PendingPiece[] = [];
  private readonly cutter = new PieceCutter();
  private opened: Promise<unknown> | null = null;
  private fileStart = true;
  private inThread = 0;
  private sentToThread = 0;
  private storedInThread = 0;
  private linesTaken = 0;
  private state: LineState | null = null;
  private yearInferred = false;
  /**
   * The log has delta stamps (dmesg -H/-d: each line's time is the previous line's plus a delta): a piece
   * needs the state the previous one ended with, so from the first such piece on, pieces are read here,
   * in turn, each with the state before it (a piece read without it would be read twice).
   */
  private inTurn = false;
  /** Blocks sent to the thread to store, not yet stored. */
  private readonly storing: Promise<unknown>[] = [];

  /** The reader thread once it runs and has this file open (until then, this thread reads every piece). */
  private thread: LineWorkerClient | null = null;

  private constructor(
    private readonly db: Db,
    private readonly spec: TextFileSpec,
    /** In pieces: the pipeline started a reader thread for this bundle (it may still be starting). */
    private readonly inPieces: boolean,
    /** Reads the whole file without a thread; with one, the pieces this thread reads. */
    private readonly local: LineProducer,
  ) {
    this.insert = db.prepare(INSERT_BLOCK_SQL);
  }

  static open(db: Db, spec: TextFileSpec): LogLineSource {
    const starting = startedLineWorker(db);
    const source = new LogLineSource(db, spec, starting !== null, new LineProducer(spec));
    // Reading does not wait for the thread to start (~50-100 ms, longer on a busy machine): the first
    // pieces are read here, the thread reads its share from when it is ready.
    starting
      ?.then((client) => {
        if (client === null || client.error !== null) return;
        source.opened = client.request({ type: 'open', spec }).then(() => (source.thread = client));
        source.opened.catch(() => undefined);
      })
      .catch(() => undefined);
    return source;
  }

  /** Whether the file is read in pieces shared with a reader thread (for tests and figures). */
  get threaded(): boolean {
    return this.inPieces;
  }

  /** Pieces the reader thread read, and block batches it stored (for tests). */
  get piecesReadInThread(): number {
    return this.sentToThread;
  }

  get batchesStoredInThread(): number {
    return this.storedInThread;
  }

  async push(chunk: Uint8Array, sink: LineSink): Promise<void> {
    if (!this.inPieces) {
      this.take(this.local.bytes(chunk), sink, 0);
      return;
    }
    const piece = this.cutter.push(chunk);
    if (piece !== null) this.read(piece, false);
    while (this.pieces.length > MAX_IN_FLIGHT) await this.takePiece(sink);
  }

  /** The last lines; resolves with the file's line count and year inference once all are given out. */
  async end(sink: LineSink): Promise<ProducedEnd> {
    if (!this.inPieces) {
      const last = this.local.end();
      this.take(last, sink, 0);
      return last;
    }
    this.read(this.cutter.end(), true);
    while (this.pieces.length > 0) await this.takePiece(sink);
    // A block the thread failed to store fails the file, like one this thread fails to store.
    while (this.storing.length > 0) await this.storing.shift();
    // Every piece is in: a thread that failed since (or never opened the file) changes nothing.
    await this.opened?.catch(() => undefined);
    await this.thread?.request({ type: 'close', fileId: this.spec.fileId }).catch(() => undefined);
    return { packs: [], lines: this.linesTaken, yearInferred: this.yearInferred };
  }

  private read(bytes: Uint8Array, fileEnd: boolean): void {
    const spec: PieceSpec = { fileStart: this.fileStart, fileEnd, before: null };
    this.fileStart = false;
    if (this.inTurn) {
      this.pieces.push({ spec, bytes });
      return;
    }
    const thread = this.thread;
    if (fileEnd || thread === null || this.inThread >= linePieces.readHereFrom) {
      this.pieces.push({ spec, done: Promise.resolve({ produced: this.local.piece(bytes, spec), bytes }) });
      return;
    }
    this.inThread++;
    this.sentToThread++;
    const done = thread.request({ type: 'piece', fileId: this.spec.fileId, bytes, spec }, [bytes.buffer as ArrayBuffer]).then((d) => {
      this.inThread--;
      return { produced: d.produced as ProducedPiece, bytes: d.bytes };
    });
    done.catch(() => undefined); // awaited in takePiece or, after a cancel, never
    this.pieces.push({ spec, done });
  }

  /** Takes back the oldest piece: numbered after the lines before it, read again if it needed their state. */
  private async takePiece(sink: LineSink): Promise<void> {
    const p = this.pieces.shift()!;
    let produced: ProducedPiece;
    if ('bytes' in p) {
      produced = this.local.piece(p.bytes, { ...p.spec, before: this.state });
    } else {
      const done = await p.done;
      produced = done.produced;
      if (produced.needsBefore) {
        this.inTurn = true;
        if (this.state !== null) {
          if (done.bytes === undefined) throw new Error('line reader: a piece to read again came back without its bytes');
          produced = this.local.piece(done.bytes, { ...p.spec, before: this.state });
        }
      }
    }
    if (produced.after !== null) this.state = produced.after;
    this.yearInferred ||= produced.yearInferred;
    this.take(produced, sink, this.linesTaken);
    this.linesTaken += produced.lines;
    while (this.storing.length > MAX_IN_FLIGHT) await this.storing.shift();
  }

  /**
   * Stores what was read (one transaction per chunk or piece) and gives out its lines and problems;
   * `offset` is added to its line numbers (a piece numbers its lines from 1). With a reader thread that
   * has the database file, the thread stores the blocks (sent once they are decoded here).
   */
  private take(p: Produced, sink: LineSink, offset: number): void {
    const rows: StoreRow[] = p.packs.flatMap((pack) => pack.blocks.map((b) => ({ id: lineId(this.spec.fileId, offset + b.firstLine), count: b.count, meta: b.meta, text: b.text })));
    const storer = this.thread !== null && this.thread.stores ? this.thread : null;
    if (storer === null && rows.length > 0) {
      this.db.transaction(() => {
        for (const r of rows) this.insert.run(r.id, r.count, r.meta, r.text);
      })();
    }
    for (const { blocks, tokens } of p.packs) {
      for (const n of tokens.problems) sink.problem(offset === 0 ? n : { ...n, lineNo: offset + n.lineNo });
      let k = 0;
      for (const b of blocks) {
        const first = offset + b.firstLine;
        const d = new DecodedBlock(b.meta, b.text);
        for (let i = 0; i < d.count; i++, k++) {
          sink.line(tokenizedLine(tokens, k, first + i, d.textOf(i), d.tsAt(i), d.cpuAt(i), d.pidAt(i), d.levelAt(i)), mayMatterAt(tokens, k));
        }
      }
    }
    if (storer !== null && rows.length > 0) {
      // DecodedBlock keeps copies: the blocks' bytes can move to the thread.
      const buffers = new Set<ArrayBuffer>();
      for (const r of rows) buffers.add(r.meta.buffer as ArrayBuffer).add(r.text.buffer as ArrayBuffer);
      const stored = storer.request({ type: 'store', rows }, [...buffers]);
      stored.catch(() => undefined); // awaited in takePiece and end
      this.storing.push(stored);
      this.storedInThread++;
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
  return db.transaction(() => {
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
