import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { batchBlocks, BLOCK_LINES, BLOCK_MAX_CHARS, DecodedBlock, LineColumns } from '../../main/storage/line-block';

const line = fc.record({
  tsNs: fc.option(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n })),
  cpu: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
  pid: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
  level: fc.option(fc.integer({ min: 0, max: 7 })),
  text: fc.string({ unit: 'binary', maxLength: 40 }),
  gap: fc.nat({ max: 3 }),
});

describe('line blocks', () => {
  it('give back every line as it was put in, whatever the columns and texts hold', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 300 }), (lines) => {
        const cols = new LineColumns(lines.length);
        let n = 0;
        for (const l of lines) cols.add((n += 1 + (l.gap === 3 ? 5 : 0)), l.tsNs, l.cpu, l.pid, l.level, l.text);
        const back: unknown[] = [];
        for (const b of batchBlocks(cols, cols.count, cols.texts.join(''))) {
          const d = new DecodedBlock(b.meta, b.text);
          expect(d.count).toBe(b.count);
          for (let i = 0; i < d.count; i++) back.push({ lineNo: b.firstLine + i, ...d.line(i) });
        }
        let k = 0;
        expect(back).toEqual(lines.map((l) => ({ lineNo: (k += 1 + (l.gap === 3 ? 5 : 0)), tsNs: l.tsNs, cpu: l.cpu, pid: l.pid, level: l.level, text: l.text })));
      }),
    );
  });

  it('cut at BLOCK_LINES lines, at BLOCK_MAX_CHARS characters and where line numbers jump', () => {
    const cols = new LineColumns(2600);
    for (let n = 1; n <= 2500; n++) cols.add(n, null, null, null, null, 'x');
    cols.add(3000, null, null, null, null, 'y'.repeat(BLOCK_MAX_CHARS));
    for (let n = 3001; n <= 3099; n++) cols.add(n, null, null, null, null, 'z');
    const blocks = [...batchBlocks(cols, cols.count, cols.texts.join(''))].map((b) => [b.firstLine, b.count]);
    expect(blocks).toEqual([
      [1, BLOCK_LINES],
      [1001, BLOCK_LINES],
      [2001, 500],
      [3000, 1],
      [3001, 99],
    ]);
  });

  it('leave out the columns a block does not use, and refuse a damaged block', () => {
    const cols = new LineColumns(2);
    cols.add(1, null, null, null, null, 'a');
    cols.add(2, null, null, null, null, 'b');
    const [b] = [...batchBlocks(cols, 2, 'ab')];
    expect(b!.meta.length).toBe(8 + 4 * 2); // header and the text lengths only
    expect(() => new DecodedBlock(b!.meta.subarray(0, 12), b!.text)).toThrow(/12 bytes, 16 expected/);
    expect(() => new DecodedBlock(b!.meta, new TextEncoder().encode('abc'))).toThrow(/3 characters/);
    const wrong = b!.meta.slice();
    wrong[0] = 9;
    expect(() => new DecodedBlock(wrong, b!.text)).toThrow(/version 9/);
  });
});
