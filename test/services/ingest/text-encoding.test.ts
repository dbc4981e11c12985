// UTF-16 text (what PowerShell's `>` and Notepad's "Unicode" write) and lines ended by CR alone (raw serial
// captures) are recognized and read like any other text.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crToLf, decodeUtf16, detectCrLineEnds, detectUtf16 } from '../../../main/services/ingest/text-encoding';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { SAMPLES_DIR } from '../../../main/services/paths';
import { rng } from '../../../main/core/ingest/ftrace/synthetic';
import { tempDir } from '../../helpers/tmp';

const DMESG = readFileSync(join(SAMPLES_DIR, 'gpu-passthrough-6.1', 'sos_commands/kernel/dmesg'), 'utf8');

/** UTF-16 bytes of `text` in either byte order, with or without the byte order mark. */
function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (order === 'be') le.swap16();
  return le;
}

describe('detectUtf16', () => {
  it('knows both byte orders with and without a byte order mark', () => {
    for (const order of ['le', 'be'] as const) {
      for (const bom of [true, false]) expect(detectUtf16(utf16(DMESG, order, bom))).toBe(`utf-16${order}`);
    }
  });

  it('leaves UTF-8 and ASCII text, UTF-32, binary data and too little text alone', () => {
    expect(detectUtf16(Buffer.from(DMESG, 'utf8'))).toBeNull();
    expect(detectUtf16(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toBeNull();
    const r = rng(7);
    expect(detectUtf16(Uint8Array.from({ length: 4096 }, () => Math.floor(r() * 256)))).toBeNull();
    // 16-bit integers below 128 look like ASCII code units, but hold no line break
    expect(detectUtf16(new Uint8Array(new Uint16Array(Array.from({ length: 2048 }, (_, i) => 32 + (i % 90))).buffer))).toBeNull();
    expect(detectUtf16(utf16('short\n', 'le', false))).toBeNull();
  });
});

describe('decodeUtf16', () => {
  it('gives the same text however the bytes are cut, surrogate pairs and the byte order mark included', async () => {
    const text = `${DMESG}\nemoji 🐛 and 😀 in a comm, CJK 内核 and the end\n`;
    for (const order of ['le', 'be'] as const) {
      const bytes = utf16(text, order, true);
      for (const size of [1, 3, 7, 4096]) {
        const chunks = async function* (): AsyncGenerator<Buffer> {
          for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
        };
        const out: Buffer[] = [];
        for await (const b of decodeUtf16(`utf-16${order}`, chunks())) out.push(b);
        expect(Buffer.concat(out).toString('utf8')).toBe(text);
      }
    }
  });
});

describe('a UTF-16 log in a bundle', () => {
  it('is read like its UTF-8 original, with a note that it was decoded', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dmesg-le.txt'), utf16(DMESG, 'le', true));
    writeFileSync(join(dir, 'dmesg-be.txt'), utf16(DMESG.replaceAll('4325', '4326'), 'be', false));
    const db = openDatabase(join(tempDir(), 'u.db'));
    const s = await ingestBundle(db, [dir]);
    expect(s.files.map((f) => [f.path, f.format, f.lines, f.faults])).toEqual([
      ['dmesg-be.txt', 'dmesg', 159, 1],
      ['dmesg-le.txt', 'dmesg', 159, 1],
    ]);
    const faults = allFaults(db, s.bundleId!).map((f) => [f.kind, f.esr, f.pid]);
    expect(faults.sort()).toEqual([
      ['kvm_unsupported_fsc', '0x92000061', 4325],
      ['kvm_unsupported_fsc', '0x92000061', 4326],
    ]);
    const note = s.diagnostics.find((d) => d.kind === 'text-utf16');
    expect(note?.count).toBe(2);
    expect(note?.severity).toBe('info');
    db.close();
  });
});

describe('lines ended by a carriage return alone', () => {
  it('are recognized only where no LF ends a line and CRs end text', () => {
    const cr = Buffer.from(DMESG.replaceAll('\n', '\r'));
    expect(detectCrLineEnds(cr)).toBe(true);
    expect(detectCrLineEnds(Buffer.from(DMESG))).toBe(false);
    expect(detectCrLineEnds(Buffer.from(DMESG.replaceAll('\n', '\r\n')))).toBe(false);
    expect(detectCrLineEnds(Buffer.from('one\rtwo\r'))).toBe(false);
    expect(detectCrLineEnds(Buffer.from('a\rb\rc\r\0binary\r'))).toBe(false);
  });

  it('become LFs however the bytes are cut, a CR LF pair met later staying one line end', async () => {
    const text = 'first\rsecond\r\rfourth\r\nfifth\rsixth';
    const expected = 'first\nsecond\n\nfourth\nfifth\nsixth';
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 5, 64]) {
      const chunks = async function* (): AsyncGenerator<Buffer> {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      };
      const out: Buffer[] = [];
      for await (const b of crToLf(chunks())) out.push(b);
      expect(Buffer.concat(out).toString()).toBe(expected);
    }
  });

  it('give the lines and faults of the same log with LFs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'console.log'), DMESG.replaceAll('\n', '\r'));
    const db = openDatabase(join(tempDir(), 'cr.db'));
    const s = await ingestBundle(db, [dir]);
    expect(s.files.map((f) => [f.path, f.format, f.lines, f.faults])).toEqual([['console.log', 'dmesg', 159, 1]]);
    expect(allFaults(db, s.bundleId!).map((f) => [f.kind, f.esr, f.line])).toEqual([['kvm_unsupported_fsc', '0x92000061', 155]]);
    expect(s.diagnostics.find((d) => d.kind === 'text-cr-lines')?.severity).toBe('info');
    db.close();
  });
});
