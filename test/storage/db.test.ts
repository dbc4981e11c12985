import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NewerDatabaseError, openDatabase, schemaVersion } from '../../main/storage/db';
import { migrations } from '../../main/storage/migrations/index';
import { tempDir } from '../helpers/tmp';

describe('openDatabase', () => {
  const dir = tempDir();

  it('creates the file in WAL mode with every migration applied', () => {
    const path = join(dir, 'nested', 'a.db');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(Math.max(...migrations.map((m) => m.version)));
    db.close();
  });

  it('migration versions are unique and increasing', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions[0]).toBe(1);
  });

  it('refuses a database written by a newer version, without touching it', () => {
    const path = join(dir, 'newer.db');
    const db = openDatabase(path);
    db.pragma('user_version = 9999');
    db.close();
    expect(() => openDatabase(path)).toThrow(NewerDatabaseError);
    expect(() => openDatabase(path)).toThrow(/newer Faultline/);
    const again = openDatabase(path, { migrations: [{ version: 9999, name: 'future', up: () => undefined }] });
    expect(schemaVersion(again)).toBe(9999);
    again.close();
  });

  it('applies pending migrations atomically: a failing step leaves the old schema', () => {
    const path = join(dir, 'atomic.db');
    openDatabase(path, { migrations: migrations.slice(0, 1) }).close();
    const failing = [
      ...migrations.slice(0, 1),
      { version: 2, name: 'ok-step', up: (db: import('better-sqlite3').Database) => db.exec('CREATE TABLE t2 (x)') },
      {
        version: 3,
        name: 'broken-step',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase(path, { migrations: failing })).toThrow('boom');
    const db = openDatabase(path, { migrations: migrations.slice(0, 1) });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 't2'`).pluck().get()).toBe(0);
    db.close();
  });
});
