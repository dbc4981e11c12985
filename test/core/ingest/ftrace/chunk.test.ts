// The chunk builder's raw records: whatever the alignment of the page view, of the record and of the bytes
// already in the chunk (the word-at-a-time copy applies only when all are 32-bit aligned), the stored bytes
// are the records back to back and rawEnd marks where each ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkBuilder, decodeColumns, type EncodedChunk } from '../../../../main/core/ingest/ftrace/chunk';

describe('ChunkBuilder.addRaw', () => {
  it('stores every record’s bytes exactly, aligned or not', () => {
    // Mostly word-sized records at word offsets, as ring-buffer pages hold them; sometimes not.
    const sized = (max: number): fc.Arbitrary<number> => fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: max / 4 }).map((w) => w * 4) }, { weight: 1, arbitrary: fc.integer({ min: 0, max }) });
    const record = fc.record({ pageOffset: fc.integer({ min: 0, max: 7 }), start: sized(200), len: sized(300) });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (recs, seed) => {
        const chunks: EncodedChunk[] = [];
        const b = new ChunkBuilder(true, (c) => chunks.push(c));
        const expected: number[] = [];
        const ends: number[] = [];
        let x = seed;
        for (const r of recs) {
          const whole = new Uint8Array(r.pageOffset + 512);
          for (let i = 0; i < whole.length; i++) whole[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
          const page = whole.subarray(r.pageOffset);
          b.addRaw(1000, 0, 1, 0, 0, 1, page, r.start, r.start + r.len);
          expected.push(...page.subarray(r.start, r.start + r.len));
          ends.push(expected.length);
        }
        b.flush();
        expect(chunks).toHaveLength(1);
        const c = chunks[0]!;
        expect([...c.raw!]).toEqual(expected);
        expect([...decodeColumns(c.columns, c.count, true).rawEnd!]).toEqual(ends);
      }),
      { numRuns: 300 },
    );
  });
});
