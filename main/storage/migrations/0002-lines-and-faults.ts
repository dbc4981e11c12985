// 0002: every log line (with a full-text index built after the load) and the fault records assembled from
// them. Issue 4.
//
// Lines are keyed by (file_id << 32) | line_no: a file's lines are one contiguous rowid range whatever
// else is written meanwhile, so paging a file and deleting it are range scans on the primary key and the
// table needs no secondary index (an index maintained during the load would cost a third of the insert
// rate: ../shared/docs/PERFORMANCE.md). file_id and line_no are virtual columns over that key.
//
// The FTS5 index is external-content over `lines` and is filled after the load, in chunks, each chunk in
// the transaction that advances files.fts_indexed (the last line number indexed), so the index holds
// exactly lines 1..fts_indexed of each file even after a crash. Deleting a file (directly or by its
// bundle's cascade) takes those entries out of the index and its lines out of the table (trigger below).
//
// 64-bit values (ESR, FAR, IPA, PC) are stored as lower-case hex text without leading zeros: SQLite's
// INTEGER is signed 64-bit, and the text is what the JSON and the UI show anyway.
import type { Migration } from './types';

export const migration: Migration = {
  version: 2,
  name: 'lines-and-faults',
  up(db) {
    db.exec(`
      ALTER TABLE files ADD COLUMN clock TEXT;
      -- the search index holds this file's lines 1..fts_indexed (it is built in chunks after the load)
      ALTER TABLE files ADD COLUMN fts_indexed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE diagnostics ADD COLUMN count INTEGER NOT NULL DEFAULT 1;

      CREATE TABLE lines (
        id       INTEGER PRIMARY KEY,            -- (file_id << 32) | line_no
        ts_ns    INTEGER,                        -- in the file's clock (files.clock)
        cpu      INTEGER,
        pid      INTEGER,
        level    INTEGER,
        text     TEXT NOT NULL,
        file_id  INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
        line_no  INTEGER GENERATED ALWAYS AS (id & 4294967295) VIRTUAL
      );

      CREATE VIRTUAL TABLE lines_fts USING fts5(text, content='lines', content_rowid='id');

      -- One trigger, two steps in this order: the index entries need the text the second step deletes.
      CREATE TRIGGER files_delete_lines AFTER DELETE ON files BEGIN
        INSERT INTO lines_fts (lines_fts, rowid, text)
          SELECT 'delete', id, text FROM lines
           WHERE id BETWEEN (old.id << 32) AND (old.id << 32) + old.fts_indexed;
        DELETE FROM lines WHERE id BETWEEN (old.id << 32) AND (old.id << 32) + 4294967295;
      END;

      CREATE TABLE faults (
        id          INTEGER PRIMARY KEY,
        bundle_id   INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        esr         TEXT,
        el          INTEGER,
        far         TEXT,
        ipa         TEXT,
        pc          TEXT,
        cpu         INTEGER,
        pid         INTEGER,
        comm        TEXT,
        time_ns     INTEGER,
        clock       TEXT,
        kernel      TEXT,
        line        INTEGER NOT NULL,
        end_line    INTEGER NOT NULL,
        text        TEXT NOT NULL,
        -- a group of identical trace faults stored as one row
        count       INTEGER NOT NULL DEFAULT 1,
        first_ns    INTEGER,
        last_ns     INTEGER,
        -- the ESR decoder's JSON (main/core/esr esrToJson) for esr, filled after the load
        decode_json TEXT,
        extra_json  TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX faults_by_bundle_kind ON faults (bundle_id, kind, time_ns);
      CREATE INDEX faults_by_bundle_time ON faults (bundle_id, time_ns);
      CREATE INDEX faults_by_file ON faults (file_id);
    `);
  },
};
