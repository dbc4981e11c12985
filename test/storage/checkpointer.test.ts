import { describe, expect, it } from 'vitest';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../main/storage/db';
import { checkpointDuringLoad, checkpointerStart, loadCommitted, walRestart } from '../../main/storage/checkpointer';
import { tempDir } from '../helpers/tmp';

const rowsIn = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM bundles`).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('checkpointDuringLoad', () => {
  it('checkpoints on its thread while a load commits, and leaves the whole load in the database file', async () => {
    const dir = tempDir('checkpointer');
    const path = join(dir, 'load.db');
    const db = openDatabase(path);
    const end = checkpointDuringLoad(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const blob = Buffer.alloc(4096, 1);
    const insert = db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES (?, ?, ?, 'complete', 'now')`);
    // Commits spread over a few of the thread's ticks, past the WAL size that starts it (4 KB a row).
    const perCommit = Math.ceil(checkpointerStart.walBytes / 4096 / 4);
    for (let t = 0; t < 12; t++) {
      db.transaction(() => {
        for (let i = 0; i < perCommit; i++) insert.run(`b${t}-${i}`, blob.toString('latin1'), `f${t}-${i}`);
      })();
      await new Promise((r) => setTimeout(r, 80));
    }
    // Time for the thread to start (slower from source, under tsx) and tick at least once.
    await new Promise((r) => setTimeout(r, 1000));
    const { inBackground } = await end();
    expect(inBackground).toBeGreaterThan(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // The database file alone (no WAL beside it) holds every committed row: the load was checkpointed.
    const copy = join(dir, 'file-only.db');
    copyFileSync(path, copy);
    expect(rowsIn(copy)).toBe(12 * perCommit);
    db.close();
  });

  it('rewinds the WAL during a long load when the writer reports its commits, and only then', async () => {
    // One load reporting its commits, one not: the same 24 MB in 48 commits of 512 KB.
    const walPeak = async (report: boolean): Promise<{ peak: number; rows: number }> => {
      const dir = tempDir('checkpointer-rewind');
      const path = join(dir, 'load.db');
      const db = openDatabase(path);
      const end = checkpointDuringLoad(db);
      const insert = db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES (?, ?, ?, 'complete', 'now')`);
      const text = 'x'.repeat(64 * 1024);
      let peak = 0;
      for (let t = 0; t < 48; t++) {
        db.transaction(() => {
          for (let i = 0; i < 8; i++) insert.run(`b${t}-${i}`, text, `f${t}-${i}`);
        })();
        if (report) loadCommitted(db, 8 * text.length);
        peak = Math.max(peak, statSync(`${path}-wal`).size);
      }
      await end();
      const copy = join(dir, 'file-only.db');
      copyFileSync(path, copy);
      db.close();
      return { peak, rows: rowsIn(copy) };
    };
    const saved = walRestart.bytes;
    walRestart.bytes = 2 * 1024 * 1024;
    try {
      const reported = await walPeak(true);
      const silent = await walPeak(false);
      // Every row reaches the database file either way.
      expect(reported.rows).toBe(48 * 8);
      expect(silent.rows).toBe(48 * 8);
      // Unreported, the WAL holds the whole load; reported, about walRestart.bytes and a commit more.
      expect(silent.peak).toBeGreaterThan(20 * 1024 * 1024);
      expect(reported.peak).toBeLessThan(4 * 1024 * 1024);
    } finally {
      walRestart.bytes = saved;
    }
  });

  it('starts no thread for a small load, and still checkpoints it at the end', async () => {
    const dir = tempDir('checkpointer-small');
    const path = join(dir, 'small.db');
    const db = openDatabase(path);
    const end = checkpointDuringLoad(db);
    db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES ('a', '/x', 'f', 'complete', 'now')`).run();
    await new Promise((r) => setTimeout(r, 3 * checkpointerStart.pollMs));
    expect(await end()).toEqual({ inBackground: 0 });
    copyFileSync(path, join(dir, 'file-only.db'));
    expect(rowsIn(join(dir, 'file-only.db'))).toBe(1);
    db.close();
  });

  it('does nothing for an in-memory database', async () => {
    const db = openDatabase(':memory:');
    const end = checkpointDuringLoad(db);
    expect(await end()).toEqual({ inBackground: 0 });
    db.close();
  });
});
