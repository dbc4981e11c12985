import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../main/storage/db';
import { migration } from '../../../main/storage/migrations/0001-bundles';

describe('migration 0001 bundles', () => {
  it('creates bundles, files and diagnostics with their constraints', () => {
    const db = openDatabase(':memory:', { migrations: [migration] });
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['bundles', 'files', 'diagnostics']));

    db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES ('a', '/a', 'f1', 'complete', 'now')`).run();
    // the fingerprint is what makes re-ingesting the same bundle replace rather than duplicate it
    expect(() =>
      db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES ('b', '/b', 'f1', 'complete', 'now')`).run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare(`INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES ('c', '/c', 'f2', 'weird', 'now')`).run(),
    ).toThrow(/CHECK/);

    db.prepare(`INSERT INTO files (bundle_id, path, format) VALUES (1, 'dmesg', 'kernel-log')`).run();
    db.prepare(`INSERT INTO diagnostics (bundle_id, kind, severity, message) VALUES (1, 'x', 'info', 'm')`).run();
    db.prepare(`DELETE FROM bundles WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM files`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM diagnostics`).pluck().get()).toBe(0);
    db.close();
  });
});
