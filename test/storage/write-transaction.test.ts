// writeTransaction against a real second process: a transaction that read first must still be able to
// write after another connection tried to commit in between (SQLite's locks are between connections).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, writeTransaction } from '../../main/storage/db';
import { tempDir } from '../helpers/tmp';

const require = createRequire(import.meta.url);

// One commit by another process, without waiting for the lock: prints `committed` or the error's code.
const OTHER = `
const Database = require(process.argv[2]);
const db = new Database(process.argv[3]);
db.pragma('busy_timeout = 0');
try {
  db.prepare("INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES ('other', '/other', 'other', 'complete', 'now')").run();
  process.stdout.write('committed');
} catch (e) {
  process.stdout.write(String(e.code));
}
`;

describe('writeTransaction', () => {
  it('holds the write lock from its start, so a read then a write never meets a newer snapshot', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.db');
    const script = join(dir, 'other.cjs');
    writeFileSync(script, OTHER);
    const db = openDatabase(dbPath);
    let other = '';
    writeTransaction(db, () => {
      // The snapshot a deferred transaction would be held to.
      db.prepare(`SELECT count(*) FROM bundles`).get();
      other = spawnSync(process.execPath, [script, require.resolve('better-sqlite3'), dbPath], { encoding: 'utf8' }).stdout;
      // Deferred, the other process committed above and this write failed with SQLITE_BUSY at once.
      db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES ('mine', '/mine', 'mine', 'complete', 'now')`).run();
    });
    expect(other).toBe('SQLITE_BUSY');
    expect(db.prepare(`SELECT name FROM bundles`).pluck().all()).toEqual(['mine']);
    db.close();
  });
});
