// 0004: log lines stored in blocks of consecutive lines (main/storage/line-block.ts) instead of one row
// each, so that ingest stores a million lines a second (issue 4); and a search index that holds its own
// copy of nothing (contentless FTS5), since its content is no longer a table column.
//
// Blocks are keyed by (file_id << 32) | first line_no like the lines were: a file's blocks are one
// contiguous rowid range, and the block holding line n is the last one with id <= (file_id << 32) | n.
// The index keeps a row per line, rowid (file_id << 32) | line_no, so search hits are lines; with
// contentless_delete=1 a file's entries are deleted by rowid range (SQLite 3.43+, fts5.html §4.4.3).
// Lines already stored are packed into blocks here; the search index is rebuilt afterwards in the
// background (fts_indexed back to 0).
import type { Database } from 'better-sqlite3';
import { batchBlocks, LineColumns } from '../line-block';
import { lineId } from '../lines-sql';
import type { Migration } from './types';

const PAGE = 20_000;

function packExistingLines(db: Database): void {
  const page = db.prepare(`SELECT id, ts_ns, cpu, pid, level, text FROM lines WHERE id > ? ORDER BY id LIMIT ?`).safeIntegers(true);
  const insert = db.prepare(`INSERT INTO line_blocks (id, count, meta, text) VALUES (?, ?, ?, ?)`);
  let after = -1n;
  for (;;) {
    const rows = page.all(after, PAGE) as { id: bigint; ts_ns: bigint | null; cpu: bigint | null; pid: bigint | null; level: bigint | null; text: string }[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    // One file's run at a time: a page may hold the end of one file and the start of the next.
    let start = 0;
    while (start < rows.length) {
      const file = rows[start]!.id >> 32n;
      let end = start;
      while (end < rows.length && rows[end]!.id >> 32n === file) end++;
      const cols = new LineColumns(end - start);
      const n = (v: bigint | null): number | null => (v === null ? null : Number(v));
      for (let i = start; i < end; i++) {
        const r = rows[i]!;
        cols.add(Number(r.id & 0xffffffffn), r.ts_ns, n(r.cpu), n(r.pid), n(r.level), r.text);
      }
      for (const b of batchBlocks(cols)) {
        insert.run(lineId(Number(file), b.firstLine), b.count, b.meta, b.text);
      }
      start = end;
    }
  }
}

export const migration: Migration = {
  version: 4,
  name: 'line-blocks',
  up(db) {
    db.exec(`
      CREATE TABLE line_blocks (
        id     INTEGER PRIMARY KEY,           -- (file_id << 32) | first line_no
        count  INTEGER NOT NULL,              -- lines first line_no .. first line_no + count - 1
        meta   BLOB NOT NULL,                 -- per-line columns (line-block.ts)
        text   BLOB NOT NULL                  -- the lines' texts, UTF-8
      );
    `);
    packExistingLines(db);
    db.exec(`
      DROP TRIGGER files_delete_lines;
      DROP TABLE lines_fts;
      DROP TABLE lines;
      UPDATE files SET fts_indexed = 0;

      CREATE VIRTUAL TABLE lines_fts USING fts5(text, content='', contentless_delete=1);

      CREATE TRIGGER files_delete_lines AFTER DELETE ON files BEGIN
        DELETE FROM lines_fts WHERE rowid BETWEEN (old.id << 32) AND (old.id << 32) + 4294967295;
        DELETE FROM line_blocks WHERE id BETWEEN (old.id << 32) AND (old.id << 32) + 4294967295;
      END;
    `);
  },
};
