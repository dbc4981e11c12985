// Column blobs: layout 2 (packed) gives back exactly the values packed, for any values (constant, small,
// wide, negative steps, time offsets that are not exact integers or beyond 2^32), and layout 1 blobs (the
// first written, still in databases) decode as before.
// The chunk builder's raw records: whatever the alignment of the page view, of the record and of the bytes
// already in the chunk (the word-at-a-time copy applies only when all are 32-bit aligned), the stored bytes
// are the records back to back and rawEnd marks where each ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkBuilder, decodeColumns, encodeColumns, type EncodedChunk } from '../../../../main/core/ingest/ftrace/chunk';

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
          // The word view only where the page starts word-aligned, as the ring-buffer reader gives it.
          const words = r.pageOffset % 4 === 0 ? new Int32Array(whole.buffer, r.pageOffset, page.length >> 2) : null;
          b.addRaw(1000, 0, 1, 0, 0, 1, page, r.start, r.start + r.len, words);
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

describe('column layouts', () => {
  const int32 = fc.oneof(
    fc.integer({ min: -1, max: 300 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.constantFrom(-(2 ** 31), 2 ** 31 - 1, 0, -1),
  );
  const tsValue = fc.oneof(
    fc.integer({ min: 0, max: 5_000_000 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 52 }),
    // (-0 is no time offset: offsets are differences of times, +0 when equal.)
    fc.double({ min: -1e15, max: 1e15, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  );
  const columnOf = <T,>(arb: fc.Arbitrary<T>, n: number, kind: number): fc.Arbitrary<T[]> =>
    kind === 0 ? arb.map((v) => Array.from({ length: n }, () => v)) : fc.array(arb, { minLength: n, maxLength: n });

  it('layout 2 round-trips every column', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            binary: fc.boolean(),
            // Ascending times (the usual case), arbitrary ones, or one value repeated.
            ts: fc.oneof(
              fc.array(fc.integer({ min: 0, max: 70_000 }), { minLength: n, maxLength: n }).map((d) => d.map(((sum) => (x: number) => (sum += x))(0))),
              columnOf(tsValue, n, 1),
              columnOf(tsValue, n, 0),
            ),
            cols: fc.array(fc.integer({ min: 0, max: 1 }).chain((k) => columnOf(int32, n, k)), { minLength: 7, maxLength: 7 }),
          }),
        ),
        ({ n, binary, ts, cols }) => {
          const intCols = binary ? 7 : 6;
          const stride = n + 5;
          const tsArr = new Float64Array(n);
          ts.forEach((v, i) => (tsArr[i] = v));
          tsArr[0] = 0;
          const ints = new Int32Array(stride * 7);
          cols.forEach((col, c) => col.forEach((v, i) => (ints[c * stride + i] = v)));
          const d = decodeColumns(encodeColumns(tsArr, ints, stride, n, intCols), n, binary);
          expect([...d.ts]).toEqual([...tsArr]);
          const got = [d.cpu, d.pid, d.tgid, d.comm, d.name, d.line, ...(binary ? [d.rawEnd!] : [])].map((a) => [...a]);
          expect(got).toEqual(cols.slice(0, intCols).map((c) => c));
          expect(d.rawEnd === null).toBe(!binary);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads layout 1 blobs', () => {
    const n = 3;
    const buf = new ArrayBuffer(n * 8 + n * 4 * 7);
    new Float64Array(buf, 0, n).set([0, 1500, 2.5e12]);
    [[0, 1, 7], [100, 101, 102], [-1, -1, 4242], [0, 0, 1], [3, 4, 3], [5, 6, 9], [24, 48, 80]].forEach((col, c) => new Int32Array(buf, n * 8 + c * n * 4, n).set(col));
    const d = decodeColumns(new Uint8Array(buf), n, true);
    expect([[...d.ts], [...d.cpu], [...d.pid], [...d.tgid], [...d.comm], [...d.name], [...d.line], [...d.rawEnd!]]).toEqual([
      [0, 1500, 2.5e12], [0, 1, 7], [100, 101, 102], [-1, -1, 4242], [0, 0, 1], [3, 4, 3], [5, 6, 9], [24, 48, 80],
    ]);
  });
});

describe('ChunkBuilder.addText times', () => {
  it('an exact time after a base below 2^53 ns keeps its exact step from the base', () => {
    const chunks: EncodedChunk[] = [];
    const b = new ChunkBuilder(false, (c) => chunks.push(c));
    const below = 9_007_198_999_999_999;
    const beyond = 9_007_199_254_740_993n;
    b.addText(below, null, 0, 1, -1, 0, 0, 1, 0, 10);
    b.addText(Number(beyond), beyond, 0, 1, -1, 0, 0, 2, 10, 20);
    b.flush();
    const c = chunks[0]!;
    const d = decodeColumns(encodeColumns(c.unpacked.ts, c.unpacked.ints, c.unpacked.stride, c.count, c.unpacked.intCols), c.count, false);
    expect(typeof c.baseTs).toBe('number');
    expect(BigInt(c.baseTs) + BigInt(d.ts[1]!)).toBe(beyond);
  });
});

