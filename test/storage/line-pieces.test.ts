import { describe, expect, it } from 'vitest';
import { MAX_CARRY_BYTES, PieceCutter } from '../../main/storage/line-pieces';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function cut(chunks: Uint8Array[]): { pieces: string[]; rest: string } {
  const c = new PieceCutter();
  const pieces: string[] = [];
  for (const ch of chunks) {
    const p = c.push(ch);
    if (p !== null) pieces.push(dec(p));
  }
  return { pieces, rest: dec(c.end()) };
}

describe('PieceCutter', () => {
  it('cuts at the last LF of each chunk and carries the rest, so every piece is whole lines', () => {
    const r = cut([enc('a\nb'), enc('c\nd\ne'), enc('f'), enc('g\n'), enc('h')]);
    expect(r.pieces).toEqual(['a\n', 'bc\nd\n', 'efg\n']);
    expect(r.rest).toBe('h');
  });

  it('gives back every byte, in order, however the input is chunked', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n') + '\ntail';
    const bytes = enc(text);
    for (const size of [1, 7, 64, 1000, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
      const r = cut(chunks);
      expect(r.pieces.every((p) => p.endsWith('\n'))).toBe(true);
      expect(r.pieces.join('') + r.rest).toBe(text);
    }
  });

  it('keeps at most MAX_CARRY_BYTES of a line without a LF, and drops its rest up to the LF', () => {
    const c = new PieceCutter();
    expect(c.push(enc('ok\n' + 'y'.repeat(1000)))).toEqual(enc('ok\n'));
    for (let i = 0; i < 1000; i++) expect(c.push(new Uint8Array(1024).fill(0x7a))).toBeNull();
    const piece = c.push(enc('zzz\nnext\n'))!;
    expect(piece.length).toBe(MAX_CARRY_BYTES + 'next\n'.length + 1);
    expect(dec(piece.subarray(0, 1000))).toBe('y'.repeat(1000));
    expect(dec(piece.subarray(MAX_CARRY_BYTES))).toBe('\nnext\n');
    expect(c.end().length).toBe(0);
  });

  it('hands out pieces of their own (the caller may reuse its chunk buffer)', () => {
    const c = new PieceCutter();
    const chunk = enc('abc\ndef');
    const p = c.push(chunk)!;
    chunk.fill(0x21);
    expect(dec(p)).toBe('abc\n');
    expect(dec(c.end())).toBe('def');
  });
});
