import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../main/storage/db';
import { migrations } from '../../../main/storage/migrations';
import { indexNextChunk, pageLines, searchLines } from '../../../main/storage/lines';
import { join } from 'node:path';
import { tempDir } from '../../helpers/tmp';

describe('migration 0004 line blocks', () => {
  it('packs the lines a version-3 database holds into blocks, per file, and re-indexes them for search', () => {
    const path = join(tempDir(), 'v3.db');
    const old = openDatabase(path, { migrations: migrations.slice(0, 3) });
    old.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f1', 'complete', 'now')`).run();
    const line = old.prepare(`INSERT INTO lines (id, ts_ns, cpu, pid, level, text) VALUES ((? << 32) | ?, ?, ?, ?, ?, ?)`);
    // file 3: 25,001 lines (more than one page of the migration's reader); file 4: two lines with a gap
    old.prepare(`INSERT INTO files (id, bundle_id, path, format, lines, fts_indexed) VALUES (3, 1, 'dmesg', 'dmesg', 25001, 25001)`).run();
    old.prepare(`INSERT INTO files (id, bundle_id, path, format, lines) VALUES (4, 1, 'kern.log', 'syslog', 5)`).run();
    old.transaction(() => {
      for (let n = 1; n <= 25_001; n++) line.run(3, n, n * 1000, n % 3 === 0 ? null : n % 4, null, 6, n === 12_345 ? 'Unable to handle kernel paging request' : `l${n}`);
      line.run(4, 1, null, null, 77, null, 'Mem abort info:');
      line.run(4, 5, 5, null, null, 3, 'ünï\ncode');
    })();
    old.prepare(`INSERT INTO lines_fts (rowid, text) SELECT id, text FROM lines`).run();
    old.close();

    // reopened with 0004: the pending migration runs
    const d = openDatabase(path, { migrations: migrations.slice(0, 4) });
    expect(schemaVersion(d)).toBe(4);
    expect(d.prepare(`SELECT sum(count) FROM line_blocks`).pluck().get()).toBe(25_003);
    expect(pageLines(d, 3, 12_344, 3).map((l) => [l.lineNo, l.tsNs, l.cpu, l.pid, l.level, l.text])).toEqual([
      [12_344, 12_344_000n, 0, null, 6, 'l12344'],
      [12_345, 12_345_000n, null, null, 6, 'Unable to handle kernel paging request'],
      [12_346, 12_346_000n, 2, null, 6, 'l12346'],
    ]);
    expect(pageLines(d, 4, 1, 9).map((l) => [l.lineNo, l.tsNs, l.pid, l.level, l.text])).toEqual([
      [1, null, 77, null, 'Mem abort info:'],
      [5, 5n, null, 3, 'ünï\ncode'],
    ]);
    // the old index is gone with its table; the watermark says everything is to be indexed again
    expect(d.prepare(`SELECT fts_indexed FROM files ORDER BY id`).pluck().all()).toEqual([0, 0]);
    while (indexNextChunk(d, 3) > 0);
    expect(searchLines(d, [3], 'paging', 5).map((h) => h.lineNo)).toEqual([12_345]);
    d.close();
  });
});
