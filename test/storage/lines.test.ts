import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { join } from 'node:path';
import { ftsQuery, indexNextChunk, LineWriter, linesToIndex, pageLines, searchLines } from '../../main/storage/lines';
import { releaseLineWorker } from '../../main/storage/lines-parallel';
import { tempDir } from '../helpers/tmp';

async function setup(lines: number) {
  const db = openDatabase(':memory:');
  db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f', 'complete', 'now')`).run();
  db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (7, 1, 'dmesg', 'dmesg')`).run();
  const w = new LineWriter(db, 7);
  for (let n = 1; n <= lines; n++) w.add(n, BigInt(n) * 1000n, n % 4, null, 6, n === 777 ? 'kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061' : `line ${n} usb 1-1: reset`);
  await w.finish();
  db.prepare(`UPDATE files SET lines = ? WHERE id = 7`).run(lines);
  return db;
}

describe('LineWriter and pageLines', () => {
  it('writes every line (full multi-row statements and the rest) and pages them by number', async () => {
    const db = await setup(1234);
    expect(db.prepare(`SELECT count(*) FROM lines`).pluck().get()).toBe(1234);
    const page = pageLines(db, 7, 776, 3);
    expect(page.map((l) => [l.lineNo, l.tsNs, l.cpu, l.text.slice(0, 10)])).toEqual([
      [776, 776_000n, 0, 'line 776 u'],
      [777, 777_000n, 1, 'kvm [4325]'],
      [778, 778_000n, 2, 'line 778 u'],
    ]);
    expect(pageLines(db, 7, 1233, 10).map((l) => l.lineNo)).toEqual([1233, 1234]);
  });

  it('pages with a primary-key range scan, no table scan', async () => {
    const db = await setup(10);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM lines WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 5`).all(1, 2) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH lines USING INTEGER PRIMARY KEY/);
  });
});

describe('LineWriter on a database file', () => {
  it('hands a big file to the writer thread and loses no line (typed columns, texts of any character)', async () => {
    const db = openDatabase(join(tempDir(), 'w.db'));
    db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f', 'complete', 'now')`).run();
    db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (3, 1, 'big', 'dmesg')`).run();
    const w = new LineWriter(db, 3);
    const n = 60_000;
    for (let i = 1; i <= n; i++) {
      w.add(i, i % 5 === 0 ? null : BigInt(i) * 1_000_000_000n, i % 7 === 0 ? null : i % 80, null, i % 8, i === 50_000 ? 'ünïcödé\u0000\ttab\nnewline' : `line ${i}`);
      if (i % 10_000 === 0) await w.wait();
    }
    await w.finish();
    await releaseLineWorker(db);
    expect(w.threaded).toBe(true);
    expect(w.count).toBe(n);
    expect(db.prepare(`SELECT count(*) FROM lines`).pluck().get()).toBe(n);
    expect(pageLines(db, 3, 49_999, 3).map((l) => [l.lineNo, l.tsNs, l.cpu, l.level, l.text])).toEqual([
      [49_999, 49_999_000_000_000n, 79, 7, 'line 49999'],
      [50_000, null, 0, 0, 'ünïcödé\u0000\ttab\nnewline'],
      [50_001, 50_001_000_000_000n, null, 1, 'line 50001'],
    ]);
    db.close();
  });
});

describe('search index', () => {
  it('indexes in chunks with a watermark, and says what is left', async () => {
    const db = await setup(1234);
    expect(linesToIndex(db, 1)).toBe(1234);
    expect(indexNextChunk(db, 7, 500)).toBe(734);
    expect(linesToIndex(db, 1)).toBe(734);
    expect(searchLines(db, [7], 'Unsupported FSC', 10)).toEqual([]);
    while (indexNextChunk(db, 7, 500) > 0);
    expect(linesToIndex(db, 1)).toBe(0);
    expect(searchLines(db, [7], 'Unsupported FSC', 10).map((h) => [h.fileId, h.lineNo])).toEqual([[7, 777]]);
    expect(searchLines(db, [8], 'Unsupported FSC', 10)).toEqual([]);
  });

  it('never lets the user\'s text be FTS syntax', async () => {
    expect(ftsQuery('ESR_EL2=0x92000061 "kvm')).toBe('"ESR_EL2=0x92000061" """kvm"');
    expect(ftsQuery('Unsupp* AND (x')).toBe('"Unsupp"* "AND" "(x"');
    expect(ftsQuery('   ')).toBeNull();
    const db = await setup(1000);
    while (indexNextChunk(db, 7) > 0);
    for (const q of ['"', 'a OR', 'NEAR(', '*', 'col:x', 'x"y', '^']) expect(() => searchLines(db, [7], q, 5)).not.toThrow();
    expect(searchLines(db, [7], 'ESR_EL2=0x92000061', 5).map((h) => h.lineNo)).toEqual([777]);
    expect(searchLines(db, [7], 'Unsupp*', 5).map((h) => h.lineNo)).toEqual([777]);
  });
});
