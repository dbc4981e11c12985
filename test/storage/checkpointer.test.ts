import { describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../main/storage/db';
import { checkpointDuringLoad } from '../../main/storage/checkpointer';
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
    const end = await checkpointDuringLoad(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES (?, '/x', ?, 'complete', 'now')`);
    // Commits spread over a few of the thread's ticks.
    for (let t = 0; t < 8; t++) {
      db.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run(`b${t}-${i}`, `f${t}-${i}`);
      })();
      await new Promise((r) => setTimeout(r, 60));
    }
    const { inBackground } = await end();
    expect(inBackground).toBeGreaterThan(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // The database file alone (no WAL beside it) holds every committed row: the load was checkpointed.
    const copy = join(dir, 'file-only.db');
    copyFileSync(path, copy);
    expect(rowsIn(copy)).toBe(4000);
    db.close();
  });

  it('does nothing for an in-memory database', async () => {
    const db = openDatabase(':memory:');
    const end = await checkpointDuringLoad(db);
    expect(await end()).toEqual({ inBackground: 0 });
    db.close();
  });
});
