import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { join } from 'node:path';
import { ftsQuery, indexNextChunk, LineWriter, linesToIndex, pageLines, searchLines } from '../../main/storage/lines';
import { lineWorker, releaseLineWorker } from '../../main/storage/lines-parallel';
import { LogLineSource, type LineSink } from '../../main/storage/lines';
import { LogLineTokenizer, type LogLine } from '../../main/core/ingest/lines/log-line';
import type { ProducedEnd } from '../../main/storage/line-producer';
import { detectDialect } from '../../main/core/ingest/lines/dialect';
import type { Db } from '../../main/storage/db';
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
    // 1000 lines a block: one full block and the rest
    expect(db.prepare(`SELECT count FROM line_blocks ORDER BY id`).pluck().all()).toEqual([1000, 234]);
    const page = pageLines(db, 7, 776, 3);
    expect(page.map((l) => [l.lineNo, l.tsNs, l.cpu, l.text.slice(0, 10)])).toEqual([
      [776, 776_000n, 0, 'line 776 u'],
      [777, 777_000n, 1, 'kvm [4325]'],
      [778, 778_000n, 2, 'line 778 u'],
    ]);
    expect(pageLines(db, 7, 1233, 10).map((l) => l.lineNo)).toEqual([1233, 1234]);
  });

  it('pages across block boundaries, from any line, and stops at the end of the file', async () => {
    const db = await setup(2500);
    expect(pageLines(db, 7, 998, 5).map((l) => l.lineNo)).toEqual([998, 999, 1000, 1001, 1002]);
    expect(pageLines(db, 7, 1, 2).map((l) => l.text)).toEqual(['line 1 usb 1-1: reset', 'line 2 usb 1-1: reset']);
    expect(pageLines(db, 7, 0, 1).map((l) => l.lineNo)).toEqual([1]);
    expect(pageLines(db, 7, 2600, 5)).toEqual([]);
    expect(pageLines(db, 8, 1, 5)).toEqual([]);
    expect(pageLines(db, 7, 1, 3000)).toHaveLength(2500);
  });

  it('starts a new block where line numbers jump, so a block is always consecutive lines', async () => {
    const db = openDatabase(':memory:');
    db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f', 'complete', 'now')`).run();
    db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (7, 1, 'dmesg', 'dmesg')`).run();
    const w = new LineWriter(db, 7);
    for (const n of [1, 2, 3, 10, 11, 20]) w.add(n, null, null, null, null, `n${n}`);
    await w.finish();
    expect(db.prepare(`SELECT id & 4294967295 AS first, count FROM line_blocks ORDER BY id`).raw().all()).toEqual([
      [1, 3],
      [10, 2],
      [20, 1],
    ]);
    expect(pageLines(db, 7, 2, 10).map((l) => [l.lineNo, l.text])).toEqual([
      [2, 'n2'],
      [3, 'n3'],
      [10, 'n10'],
      [11, 'n11'],
      [20, 'n20'],
    ]);
  });
});

describe('LogLineSource', () => {
  const dmesg = detectDialect(['[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]']);

  async function read(db: Db, bytes: Uint8Array, chunk: number): Promise<{ lines: LogLine[]; problems: string[]; end: ProducedEnd; threaded: boolean }> {
    const source = await LogLineSource.open(db, { fileId: 3, dialect: dmesg, yearHint: 2024 });
    const lines: LogLine[] = [];
    const problems: string[] = [];
    const consume: LineSink = { line: (l) => lines.push(l), problem: (n) => problems.push(`${n.kind}@${n.lineNo}`) };
    for (let i = 0; i < bytes.length; i += chunk) await source.push(bytes.subarray(i, i + chunk), consume);
    const end = await source.end(consume);
    return { lines, problems, end, threaded: source.threaded };
  }

  function fileDb(): Db {
    const db = openDatabase(join(tempDir(), 'w.db'));
    db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f', 'complete', 'now')`).run();
    db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (3, 1, 'big', 'dmesg')`).run();
    return db;
  }

  const n = 45_000;
  const text =
    Array.from({ length: n }, (_, k) => {
      const i = k + 1;
      if (i === 40_000) return 'ünïcödé€\ttab \x1b[31mred\x1b[0m\r';
      if (i === 40_002) return '[40002.000001] <6>\x01 junk';
      return i % 5 === 0 ? `no stamp ${i}` : `[${String(i).padStart(6)}.000001] line ${i}`;
    }).join('\n') + '\nlast line without LF';
  const bytes = new TextEncoder().encode(text);

  async function check(db: Db, r: Awaited<ReturnType<typeof read>>): Promise<void> {
    expect(r.end.lines).toBe(n + 1);
    expect(r.lines.map((l) => l.lineNo)).toEqual(Array.from({ length: n + 1 }, (_, k) => k + 1));
    // the lines the fault path gets are the tokenizer's, field for field
    const tok = new LogLineTokenizer({ yearHint: 2024 });
    for (const k of [0, 4, 39_998, 39_999, 40_001, n]) expect(r.lines[k]).toEqual(tok.tokenize(r.lines[k]!.text, k + 1));
    expect(r.lines[39_999]!.text).toBe('ünïcödé€\ttab red');
    expect(r.problems).toEqual(['binary-junk@40002']);
    // and the stored lines are the same
    expect(pageLines(db, 3, 39_999, 3).map((l) => [l.lineNo, l.tsNs, l.text])).toEqual([
      [39_999, 39_999_000_001_000n, '[ 39999.000001] line 39999'],
      [40_000, null, 'ünïcödé€\ttab red'],
      [40_001, 40_001_000_001_000n, '[ 40001.000001] line 40001'],
    ]);
    expect(pageLines(db, 3, n, 5).map((l) => l.text)).toEqual(['no stamp 45000', 'last line without LF']);
    expect(db.prepare(`SELECT sum(count) FROM line_blocks`).pluck().get()).toBe(n + 1);
  }

  it('reads in the reader thread, chunked anywhere (even inside a character), and stores what it read', async () => {
    const db = fileDb();
    void lineWorker(db);
    const r = await read(db, bytes, 7_777);
    await releaseLineWorker(db);
    expect(r.threaded).toBe(true);
    await check(db, r);
    db.close();
  });

  it('keeps a long non-ASCII line whole when it spans many chunks, some of them all ASCII', async () => {
    const db = fileDb();
    void lineWorker(db);
    const long = '€ψ' + 'x'.repeat(30_000); // beyond Latin-1, so only a UTF-8 path keeps them
    const r = await read(db, new TextEncoder().encode(`[    1.000000] a\n${long}\n[    2.000000] b\n`), 1000);
    await releaseLineWorker(db);
    expect(r.threaded).toBe(true);
    expect(r.lines.map((l) => l.text)).toEqual(['[    1.000000] a', long, '[    2.000000] b']);
    expect(pageLines(db, 3, 2, 1)[0]!.text).toBe(long);
    db.close();
  });

  it('reads the same in this thread when no reader thread was started', async () => {
    const db = fileDb();
    const r = await read(db, bytes, 100_003);
    expect(r.threaded).toBe(false);
    await check(db, r);
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
    const hit = searchLines(db, [7], 'Unsupported FSC', 10)[0]!;
    expect([hit.tsNs, hit.text]).toEqual([777_000n, 'kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061']);
  });

  it('drops a file\'s lines and search entries when the file goes', async () => {
    const db = await setup(1234);
    while (indexNextChunk(db, 7, 500) > 0);
    expect(searchLines(db, [7], 'reset', 2000)).toHaveLength(1233);
    db.prepare(`DELETE FROM files WHERE id = 7`).run();
    expect(db.prepare(`SELECT count(*) FROM line_blocks`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM lines_fts WHERE lines_fts MATCH 'reset'`).pluck().get()).toBe(0);
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
