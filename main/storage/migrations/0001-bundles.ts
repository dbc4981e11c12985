// 0001: bundles, their files, and import diagnostics: the frame every importer writes into.
import type { Migration } from './types';

export const migration: Migration = {
  version: 1,
  name: 'bundles',
  up(db) {
    db.exec(`
      CREATE TABLE bundles (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        source_path   TEXT NOT NULL,
        -- content fingerprint of the inputs: re-ingesting the same bundle replaces it, never duplicates
        fingerprint   TEXT NOT NULL UNIQUE,
        status        TEXT NOT NULL CHECK (status IN ('ingesting', 'complete', 'cancelled', 'failed')),
        created_at    TEXT NOT NULL,
        finished_at   TEXT,
        -- BundleContext (main/core/ingest/fault-record.ts) as JSON, bigints as hex strings
        context_json  TEXT NOT NULL DEFAULT '{}'
      );

      CREATE TABLE files (
        id          INTEGER PRIMARY KEY,
        bundle_id   INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        format      TEXT NOT NULL,
        size        INTEGER NOT NULL DEFAULT 0,
        lines       INTEGER NOT NULL DEFAULT 0,
        events      INTEGER NOT NULL DEFAULT 0,
        faults      INTEGER NOT NULL DEFAULT 0,
        UNIQUE (bundle_id, path)
      );

      CREATE TABLE diagnostics (
        id          INTEGER PRIMARY KEY,
        bundle_id   INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        -- id from the diagnostics table declared as data (main/core/ingest/diagnostics.ts)
        kind        TEXT NOT NULL,
        severity    TEXT NOT NULL CHECK (severity IN ('info', 'data-loss', 'error')),
        file        TEXT,
        line        INTEGER,
        message     TEXT NOT NULL
      );
      CREATE INDEX diagnostics_by_bundle ON diagnostics (bundle_id, kind);
    `);
  },
};
