import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../main/storage/db';
import { migrations } from '../../../main/storage/migrations';
import { fileBootLines, setFileBootLines } from '../../../main/storage/ingest';
import { tempDir } from '../../helpers/tmp';

describe('migration 0005 file boots', () => {
  it('gives the files of a version-4 database room for their boots, none known for those stored before', () => {
    const path = join(tempDir(), 'v4.db');
    const old = openDatabase(path, { migrations: migrations.slice(0, 4) });
    old.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f1', 'complete', 'now')`).run();
    old.prepare(`INSERT INTO files (id, bundle_id, path, format, lines) VALUES (3, 1, 'console.log', 'dmesg', 400)`).run();
    old.close();
    const d = openDatabase(path);
    expect(schemaVersion(d)).toBe(5);
    expect(fileBootLines(d, 3)).toEqual([]);
    setFileBootLines(d, 3, [238, 301]);
    expect(fileBootLines(d, 3)).toEqual([238, 301]);
    setFileBootLines(d, 3, []);
    expect(d.prepare(`SELECT boot_lines FROM files WHERE id = 3`).pluck().get()).toBe(null);
    d.close();
  });
});
