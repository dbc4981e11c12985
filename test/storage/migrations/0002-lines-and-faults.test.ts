import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../main/storage/db';
import { migration as m0001 } from '../../../main/storage/migrations/0001-bundles';
import { migration as m0002 } from '../../../main/storage/migrations/0002-lines-and-faults';

function db() {
  const d = openDatabase(':memory:', { migrations: [m0001, m0002] });
  d.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f1', 'complete', 'now')`).run();
  d.prepare(`INSERT INTO files (id, bundle_id, path, format, lines) VALUES (3, 1, 'dmesg', 'dmesg', 2)`).run();
  d.prepare(`INSERT INTO files (id, bundle_id, path, format, lines) VALUES (4, 1, 'kern.log', 'syslog', 1)`).run();
  const line = d.prepare(`INSERT INTO lines (id, ts_ns, text) VALUES ((? << 32) | ?, ?, ?)`);
  line.run(3, 1, 1_000n, 'Unable to handle kernel paging request');
  line.run(3, 2, 2_000n, 'Mem abort info:');
  line.run(4, 1, null, 'Unable to handle kernel paging request');
  return d;
}

describe('migration 0002 lines and faults', () => {
  it('upgrades a version-1 database and keys lines by file and line number', () => {
    const d = db();
    expect(schemaVersion(d)).toBe(2);
    expect(d.prepare(`SELECT file_id, line_no, ts_ns FROM lines WHERE id = (3 << 32) | 2`).get()).toEqual({ file_id: 3, line_no: 2, ts_ns: 2000 });
    d.close();
  });

  it('removes a deleted bundle\'s lines and search entries through its files (cascade + trigger)', () => {
    const d = db();
    d.prepare(`INSERT INTO lines_fts (rowid, text) SELECT id, text FROM lines WHERE id BETWEEN (3 << 32) AND (3 << 32) + 2`).run();
    d.prepare(`UPDATE files SET fts_indexed = 2 WHERE id = 3`).run();
    expect(d.prepare(`SELECT count(*) FROM lines_fts WHERE lines_fts MATCH 'paging'`).pluck().get()).toBe(1);
    d.prepare(`INSERT INTO faults (bundle_id, file_id, kind, line, end_line, text) VALUES (1, 3, 'mem_abort', 1, 2, 't')`).run();
    d.prepare(`DELETE FROM bundles WHERE id = 1`).run();
    expect(d.prepare(`SELECT count(*) FROM lines`).pluck().get()).toBe(0);
    expect(d.prepare(`SELECT count(*) FROM faults`).pluck().get()).toBe(0);
    expect(d.prepare(`SELECT count(*) FROM lines_fts WHERE lines_fts MATCH 'paging'`).pluck().get()).toBe(0);
    // the index is still consistent with its (now empty) content table
    expect(() => d.prepare(`INSERT INTO lines_fts (lines_fts) VALUES ('integrity-check')`).run()).not.toThrow();
    d.close();
  });

  it('adds the diagnostics count column with a default of 1', () => {
    const d = db();
    d.prepare(`INSERT INTO diagnostics (bundle_id, kind, severity, message) VALUES (1, 'x', 'info', 'm')`).run();
    expect(d.prepare(`SELECT count FROM diagnostics`).pluck().get()).toBe(1);
    d.close();
  });
});
