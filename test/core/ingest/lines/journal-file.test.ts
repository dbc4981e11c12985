import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decompress as zstd } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../../main/core/ingest/ftrace/synthetic';
import { detectJournalFile, JournalFileError, readJournalFile, type JournalDecompress, type JournalFileStats } from '../../../../main/core/ingest/lines/journal-file';

const FIXTURES = new URL('../../../fixtures/journal/', import.meta.url);
// What systemd 252's journal-remote wrote (fixtures/journal/SOURCE.md), and what its journalctl -o json printed of it.
const FILE = new Uint8Array(gunzipSync(readFileSync(new URL('rockpro64.journal.gz', FIXTURES))));
// journalctl prints a field that is not text (a control character, here ANSI colours) as its bytes.
const text = (v: string | number[]): string => (typeof v === 'string' ? v : new TextDecoder().decode(Uint8Array.from(v)));
const JOURNALCTL = readFileSync(new URL('rockpro64.journal.json', FIXTURES), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as Record<string, string | number[]>).map(([k, v]) => [k, text(v)])));

const KEPT = ['MESSAGE', 'PRIORITY', '_PID', '_HOSTNAME', 'SYSLOG_IDENTIFIER', '_TRANSPORT', '_SOURCE_MONOTONIC_TIMESTAMP', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP'];
const source = (bytes: Uint8Array) => ({ size: bytes.length, read: (o: number, n: number) => bytes.subarray(o, o + n) });
const withZstd: JournalDecompress = (algorithm, data) => (algorithm === 'zstd' ? zstd(data) : null);

function read(bytes: Uint8Array, decompress = withZstd): { entries: Record<string, string>[]; stats: JournalFileStats } {
  const stats: JournalFileStats = { entries: 0, fieldsSkipped: 0 };
  const text = [...readJournalFile(source(bytes), decompress, stats)].join('');
  return { entries: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>), stats };
}

describe('systemd journal files', () => {
  it('gives every entry in order with the fields journalctl -o json prints for it (a compact, zstd file)', () => {
    const { entries, stats } = read(FILE);
    expect(stats).toEqual({ entries: 72, fieldsSkipped: 0 });
    const want = JOURNALCTL.map((e) => Object.fromEntries(KEPT.filter((k) => k in e).map((k) => [k, e[k]])));
    expect(entries.map((e) => Object.fromEntries(KEPT.filter((k) => k in e).map((k) => [k, e[k]])))).toEqual(want);
    expect(want.filter((e) => e.MESSAGE?.includes('\x1b'))).toHaveLength(1);
    // The long "Modules linked in" line is stored zstd-compressed.
    expect(entries.at(-1)?.MESSAGE).toMatch(/^Modules linked in: mod_000_driver .* mod_049_driver$/);
    expect(detectJournalFile(FILE.subarray(0, 512))).toBe(true);
    expect(detectJournalFile(new TextEncoder().encode('[    1.234567] Booting Linux'))).toBe(false);
  });

  it('reads the regular layout of the same entries alike (64-bit items, no compact mode)', () => {
    // The same journal written with SYSTEMD_JOURNAL_COMPACT=0 (SOURCE.md): journalctl prints the same entries.
    const regular = new Uint8Array(gunzipSync(readFileSync(new URL('rockpro64-regular.journal.gz', FIXTURES))));
    expect(new DataView(regular.buffer, regular.byteOffset).getUint32(12, true) & 0x10).toBe(0);
    expect(read(regular).entries).toEqual(read(FILE).entries);
  });

  it('counts the fields it cannot decompress and reads the rest of their entries', () => {
    const { entries, stats } = read(FILE, () => null);
    expect(stats).toEqual({ entries: 72, fieldsSkipped: 1 });
    expect(entries.at(-1)).toMatchObject({ SYSLOG_IDENTIFIER: 'kernel', PRIORITY: '4' });
    expect(entries.at(-1)?.MESSAGE).toBeUndefined();
  });

  it('stops at an object that runs past the file, after the entries before it', () => {
    // Cut in the middle of the objects: what a copy of a file being written can look like.
    const view = new DataView(FILE.buffer, FILE.byteOffset);
    const tail = view.getUint32(136, true);
    const cut = FILE.slice(0, tail - 2000);
    const stats: JournalFileStats = { entries: 0, fieldsSkipped: 0 };
    const out: string[] = [];
    expect(() => {
      for (const batch of readJournalFile(source(cut), withZstd, stats)) out.push(batch);
    }).toThrow(JournalFileError);
    expect(stats.entries).toBeGreaterThan(50);
    expect(out.join('').split('\n').filter(Boolean)).toHaveLength(stats.entries);
  });

  it('on damaged bytes among the objects, ends with the entries read so far or a JournalFileError, nothing else', () => {
    const bytes = FILE.slice();
    const view = new DataView(bytes.buffer);
    const tail = view.getUint32(136, true);
    const objectsFrom = tail - 40_000; // the entries and their DATA objects, after the hash tables
    const r = rng(7);
    const seen = { whole: 0, stopped: 0 };
    for (let round = 0; round < 300; round++) {
      const changed: [number, number][] = [];
      for (let k = 0; k < 1 + Math.floor(r() * 12); k++) {
        const at = objectsFrom + Math.floor(r() * (tail + 200 - objectsFrom));
        changed.push([at, bytes[at]!]);
        bytes[at] = Math.floor(r() * 256);
      }
      const stats: JournalFileStats = { entries: 0, fieldsSkipped: 0 };
      let lines = 0;
      try {
        for (const batch of readJournalFile(source(bytes), withZstd, stats)) lines += batch.split('\n').length - 1;
        seen.whole++;
      } catch (e) {
        expect(e).toBeInstanceOf(JournalFileError);
        seen.stopped++;
      }
      // Every entry counted was handed on.
      expect(lines).toBe(stats.entries);
      for (const [at, b] of changed.reverse()) bytes[at] = b;
    }
    expect(seen.whole).toBeGreaterThan(0);
    expect(seen.stopped).toBeGreaterThan(0);
  });
});
