// 0003: trace events (ftrace text and trace.dat), KVM exits paired with entries, and timeline summaries.
// Issue 5.
//
// Events are stored in columnar chunks of up to 4096 events, one row per chunk (main/core/ingest/ftrace/
// chunk.ts has the blob layout and the measurements behind it): the numeric columns (time, CPU, PID, TGID,
// comm and event-name ids, source line) packed in `columns`, the event texts in `args` (text traces) or
// the raw records in `raw` (trace.dat, rendered on read through the formats in trace_dat_meta), deflated
// (level 1, on libuv's thread pool while the next chunk is parsed: trace text shrinks 7x, and SQLite
// writes about 100 MB/s here, which would otherwise cost about as much as parsing). A chunk's
// time range and the set of event names in it select chunks by SQL; the index on them is tiny (one row per
// 4096 events), so nothing has to be built after the load. Comm and event names are interned per file.
//
// Timeline summaries are written at ingest: per track (CPU, VM, vCPU, event name, fault kind) and per zoom
// level (bucket width 1 µs · 4^level, aligned to absolute time), the bucket counts as one blob starting at
// `first_bucket`; a zoom reads one blob per track.
//
// Everything hangs off files(id) (and bundles(id)) with ON DELETE CASCADE.
import type { Migration } from './types';

export const migration: Migration = {
  version: 3,
  name: 'trace-events',
  up(db) {
    db.exec(`
      CREATE TABLE trace_files (
        file_id     INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
        bundle_id   INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        source      TEXT NOT NULL CHECK (source IN ('ftrace-text', 'trace-dat')),
        -- 'tracefs' | 'trace-cmd' (text), 'v6' | 'v7' (trace.dat)
        dialect     TEXT,
        clock       TEXT,
        cpus        INTEGER,
        events      INTEGER NOT NULL DEFAULT 0,
        min_ts      INTEGER,
        max_ts      INTEGER,
        -- the timeline levels written for this file (every track has all of them)
        min_level   INTEGER,
        max_level   INTEGER
      );
      CREATE INDEX trace_files_by_bundle ON trace_files (bundle_id);

      -- Interned strings of a file: kind 0 = comm, 1 = event name.
      CREATE TABLE trace_strings (
        file_id  INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        kind     INTEGER NOT NULL,
        id       INTEGER NOT NULL,
        text     TEXT NOT NULL,
        PRIMARY KEY (file_id, kind, id)
      ) WITHOUT ROWID;

      CREATE TABLE trace_chunks (
        id           INTEGER PRIMARY KEY,
        bundle_id    INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        file_id      INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        first_event  INTEGER NOT NULL,
        count        INTEGER NOT NULL,
        base_ts      INTEGER NOT NULL,
        min_ts       INTEGER NOT NULL,
        max_ts       INTEGER NOT NULL,
        name_set     TEXT NOT NULL,
        -- 0: stored as is; 1: columns, args (UTF-8) and raw deflated (raw deflate, level 1)
        codec        INTEGER NOT NULL DEFAULT 0,
        columns      BLOB NOT NULL,
        args         BLOB,
        raw          BLOB
      );
      CREATE INDEX trace_chunks_by_time ON trace_chunks (bundle_id, max_ts, min_ts);
      CREATE INDEX trace_chunks_by_file ON trace_chunks (file_id, seq);

      -- What a trace.dat reader needs to render raw records: byte order, long size, the event formats,
      -- kallsyms and trace_printk formats, as the file had them.
      CREATE TABLE trace_dat_meta (
        file_id      INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
        big_endian   INTEGER NOT NULL,
        long_size    INTEGER NOT NULL,
        page_size    INTEGER NOT NULL,
        version      INTEGER NOT NULL,
        formats      TEXT NOT NULL,
        kallsyms     TEXT NOT NULL,
        printk       TEXT NOT NULL
      );

      CREATE TABLE trace_threads (
        file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        tid         INTEGER NOT NULL,
        comm        TEXT NOT NULL,
        tgid        INTEGER,
        vm_pid      INTEGER,
        vcpu_index  INTEGER,
        is_vcpu     INTEGER NOT NULL,
        PRIMARY KEY (file_id, tid)
      ) WITHOUT ROWID;

      -- KVM exits paired with the next entry on the same vCPU thread (core/ingest/ftrace/exits.ts): per
      -- vCPU, exit type and exception class, how many and how long the vCPU stayed in the host.
      CREATE TABLE kvm_exit_stats (
        id          INTEGER PRIMARY KEY,
        bundle_id   INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        vm_pid      INTEGER,
        tid         INTEGER NOT NULL,
        ret         TEXT NOT NULL,
        esr_ec      INTEGER NOT NULL,
        ec_name     TEXT NOT NULL,
        count       INTEGER NOT NULL,
        total_ns    INTEGER NOT NULL,
        min_ns      INTEGER NOT NULL,
        max_ns      INTEGER NOT NULL
      );
      CREATE INDEX kvm_exit_stats_by_bundle ON kvm_exit_stats (bundle_id);

      CREATE TABLE timeline_tracks (
        id         INTEGER PRIMARY KEY,
        bundle_id  INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('cpu', 'vm', 'vcpu', 'event', 'fault')),
        key        TEXT NOT NULL,
        label      TEXT NOT NULL,
        UNIQUE (bundle_id, kind, key)
      );

      -- One blob per track, file and level. A rowid table with a covering index on the small columns:
      -- finding a level's rows never reads a blob (in a WITHOUT ROWID table the blobs are part of the key).
      CREATE TABLE timeline_series (
        id            INTEGER PRIMARY KEY,
        track_id      INTEGER NOT NULL REFERENCES timeline_tracks(id) ON DELETE CASCADE,
        file_id       INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        level         INTEGER NOT NULL,
        first_bucket  INTEGER NOT NULL,
        buckets       INTEGER NOT NULL,
        total         INTEGER NOT NULL,
        counts        BLOB NOT NULL,
        host_ns       BLOB
      );
      CREATE UNIQUE INDEX timeline_series_by_track ON timeline_series (track_id, level, file_id, first_bucket, buckets);
      CREATE INDEX timeline_series_by_file ON timeline_series (file_id);
    `);
  },
};
