import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { join } from 'node:path';
import { ftsQuery, indexNextChunk, LineWriter, linesToIndex, pageLines, searchLines } from '../../main/storage/lines';
import { lineWorker, releaseLineWorker } from '../../main/storage/lines-parallel';
import { LogLineSource, linePieces, type LineSink } from '../../main/storage/lines';
import { MAX_CARRY_BYTES } from '../../main/storage/line-pieces';
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

/** A file's chunks come from I/O: the thread's replies are handled between them. */
const nextChunkRead = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LogLineSource', () => {
  const dmesg = detectDialect(['[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]']);

  async function read(db: Db, bytes: Uint8Array, chunk: number): Promise<{ lines: LogLine[]; problems: string[]; end: ProducedEnd; threaded: boolean; inThread: number; storedInThread: number }> {
    const source = LogLineSource.open(db, { fileId: 3, dialect: dmesg, yearHint: 2024 });
    const lines: LogLine[] = [];
    const problems: string[] = [];
    const consume: LineSink = { line: (l) => lines.push(l), problem: (n) => problems.push(`${n.kind}@${n.lineNo}`) };
    for (let i = 0; i < bytes.length; i += chunk) {
      await source.push(bytes.subarray(i, i + chunk), consume);
      await nextChunkRead();
    }
    const end = await source.end(consume);
    return { lines, problems, end, threaded: source.threaded, inThread: source.piecesReadInThread, storedInThread: source.batchesStoredInThread };
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
    await lineWorker(db);
    const r = await read(db, bytes, 7_777);
    await releaseLineWorker(db);
    expect(r.threaded).toBe(true);
    expect(r.inThread).toBeGreaterThan(0);
    expect(r.storedInThread).toBeGreaterThan(0); // the thread stored blocks: check() reads them back
    await check(db, r);
    db.close();
  });

  it('keeps a long non-ASCII line whole when it spans many chunks, some of them all ASCII', async () => {
    const db = fileDb();
    await lineWorker(db);
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

describe('LogLineSource in pieces (reader thread and importing thread sharing a file)', () => {
  const dialectOf = (first: string) => detectDialect([first]);

  async function readAll(bytes: Uint8Array, chunk: number, firstLine: string, threaded: boolean) {
    const db = openDatabase(join(tempDir(), 'p.db'));
    db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f', 'complete', 'now')`).run();
    db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (3, 1, 'log', 'dmesg')`).run();
    if (threaded) await lineWorker(db);
    const source = LogLineSource.open(db, { fileId: 3, dialect: dialectOf(firstLine), yearHint: 2024 });
    const lines: LogLine[] = [];
    const problems: string[] = [];
    const sink: LineSink = { line: (l) => lines.push(l), problem: (n) => problems.push(`${n.kind}@${n.lineNo}`) };
    for (let i = 0; i < bytes.length; i += chunk) {
      await source.push(bytes.subarray(i, i + chunk), sink);
      await nextChunkRead();
    }
    const end = await source.end(sink);
    await releaseLineWorker(db);
    const stored = pageLines(db, 3, 1, end.lines + 10);
    db.close();
    return { lines, problems: problems.sort(), end: { lines: end.lines, yearInferred: end.yearInferred }, stored, threaded: source.threaded, inThread: source.piecesReadInThread, storedInThread: source.batchesStoredInThread };
  }

  /** Read in pieces by both threads (the importing thread reads whenever one piece waits for the other) and in one go: the same. */
  async function same(text: string | Uint8Array, chunk: number): Promise<Awaited<ReturnType<typeof readAll>>> {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    const firstLine = new TextDecoder().decode(bytes.subarray(0, 200)).split('\n')[0]!;
    const before = linePieces.readHereFrom;
    linePieces.readHereFrom = 1;
    try {
      const pieces = await readAll(bytes, chunk, firstLine, true);
      const whole = await readAll(bytes, bytes.length + 1, firstLine, false);
      expect(pieces.threaded).toBe(true);
      expect(whole.threaded).toBe(false);
      expect(pieces.end).toEqual(whole.end);
      expect(pieces.problems).toEqual(whole.problems);
      expect(pieces.lines).toEqual(whole.lines);
      expect(pieces.stored).toEqual(whole.stored);
      return pieces;
    } finally {
      linePieces.readHereFrom = before;
    }
  }

  it('carries dmesg -H delta times across pieces (each piece needs the time the one before ended with)', async () => {
    // Absolute stamps first (pieces go to both threads), then deltas (pieces already sent to the thread
    // come back needing the time before them and are read again; the rest are read in turn).
    const lines = ['[May24 14:33] Booting Linux on physical CPU 0x0'];
    for (let i = 1; i < 9000; i++) {
      if (i < 3000) lines.push(`[May24 14:33] early ${i}`);
      else lines.push(i % 1000 === 0 ? `[May24 14:${String(33 + i / 1000).padStart(2, '0')}] minute ${i}` : `[  +0.000${String(i % 1000).padStart(3, '0')}] line ${i}`);
    }
    const r = await same(lines.join('\n') + '\n', 997);
    expect(r.inThread).toBeGreaterThan(0);
    // every line has a time: none was read without the one before it
    expect(r.lines.filter((l) => l.tsNs === null)).toEqual([]);
    expect(r.lines[3002]!.tsNs! - r.lines[3001]!.tsNs!).toBe(2_000n);
  });

  it('drops a BOM at the start of the file only, and keeps lines across pieces in order', async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `[${String(i).padStart(5)}.000000] l${i}`);
    body[1500] = '\uFEFF' + body[1500]!; // a BOM after a LF, mid-file: a character of that line
    const r = await same('\uFEFF' + body.join('\n'), 4096);
    expect(r.inThread).toBeGreaterThan(0);
    expect(r.lines[0]!.text).toBe('[    0.000000] l0');
    expect(r.lines[1500]!.text.charCodeAt(0)).toBe(0xfeff);
    expect(r.end.lines).toBe(3000);
  });

  it('cuts a line that runs on without a LF for megabytes as one read would, with the lines after it numbered right', async () => {
    const giant = 'junk ' + 'é'.repeat(MAX_CARRY_BYTES); // beyond what a piece keeps of a line, in 2-byte characters
    const text = `[    1.000000] before\n${giant}\n[    2.000000] after\n`;
    const r = await same(text, 65_536);
    expect(r.lines.map((l) => l.lineNo)).toEqual([1, 2, 3]);
    expect(r.lines[1]!.text).toBe(giant.slice(0, 65_536));
    expect(r.lines[2]!.text).toBe('[    2.000000] after');
    expect(r.problems).toEqual(['line-truncated@2']);
  });

  it('reads CRLF, ANSI colours, invalid UTF-8, junk and a last line without LF the same in pieces', async () => {
    const parts: (string | Uint8Array)[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 4000 === 7) parts.push(new Uint8Array([0x5b, 0x20, 0x31, 0x5d, 0x20, 0xff, 0xfe, 0x0a])); // `[ 1] ` then bytes that are not UTF-8
      else if (i % 3000 === 11) parts.push(`[${i}.000001] \x1b[31mred\x1b[0m\x02 junk\r\n`);
      else parts.push(`[${String(i).padStart(6)}.000001] ψ line ${i}\r\n`);
    }
    parts.push('no LF at the end');
    const enc = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
    const bytes = new Uint8Array(enc.reduce((n, p) => n + p.length, 0));
    enc.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
    const r = await same(bytes, 3_333);
    expect(r.inThread).toBeGreaterThan(0);
    expect(r.storedInThread).toBeGreaterThan(0);
    expect(r.end.lines).toBe(20_001);
    expect(r.problems.filter((p) => p.startsWith('invalid-utf8'))).toHaveLength(5);
    expect(r.problems.filter((p) => p.startsWith('binary-junk'))).toHaveLength(7);
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
