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
  /** How the line is handed over: a string of its own, or a range of one text after LF, CR LF, another character or nothing. */
  /** For a line given as a range: its time is given as (tsNs - off) + off, as the tokenizer splits it. */
  off: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  given: fc.constantFrom('alone', '\n', '\r\n', '', ';'),
});

describe('line blocks', () => {
  it('give back every line as it was put in, whatever the columns and texts hold and however they were given', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 300 }), (lines) => {
        const cols = new LineColumns(lines.length);
        // The texts handed over as ranges, laid out one after the other in one text.
        let whole = '';
        const at = lines.map((l) => {
          if (l.given === 'alone') return -1;
          whole += l.given;
          const start = whole.length;
          whole += l.text;
          return start;
        });
        // Half the time the columns are reused after a batch of other lines.
        if (lines.length % 2 === 1) {
          for (let i = 0; i < lines.length; i++) cols.addIn(i + 1, i % 2 === 0 ? null : 7n, i, i, i, 1, 'other', 0, 5);
          expect([...batchBlocks(cols)].length).toBeGreaterThan(0);
          cols.clear();
        }
        let n = 0;
        lines.forEach((l, i) => {
          const lineNo = (n += 1 + (l.gap === 3 ? 5 : 0));
          const start = at[i]!;
          if (start < 0) cols.add(lineNo, l.tsNs, l.cpu, l.pid, l.level, l.text);
          else cols.addIn(lineNo, l.tsNs === null ? null : l.tsNs - BigInt(l.off), l.off, l.cpu, l.pid, l.level, whole, start, start + l.text.length);
        });
        const back: unknown[] = [];
        for (const b of batchBlocks(cols)) {
          const d = new DecodedBlock(b.meta, b.text);
          expect(d.count).toBe(b.count);
          const texts: string[] = [];
          for (let i = 0; i < d.count; i++) {
            back.push({ lineNo: b.firstLine + i, ...d.line(i) });
            texts.push(d.textOf(i));
          }
          expect(d.texts).toBe(texts.join('\n'));
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
    const blocks = [...batchBlocks(cols)].map((b) => [b.firstLine, b.count]);
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
    const [b] = [...batchBlocks(cols)];
    expect(b!.meta.length).toBe(8 + 4 * 2); // header and the text lengths only
    expect(() => new DecodedBlock(b!.meta.subarray(0, 12), b!.text)).toThrow(/12 bytes, 16 expected/);
    expect(() => new DecodedBlock(b!.meta, new TextEncoder().encode('abcd'))).toThrow(/4 characters/);
    const wrong = b!.meta.slice();
    wrong[0] = 9;
    expect(() => new DecodedBlock(wrong, b!.text)).toThrow(/version 9/);
  });

  it('read blocks of version 1, whose texts have no separator', () => {
    const cols = new LineColumns(2);
    cols.add(1, 5n, null, null, null, 'ab');
    cols.add(2, 6n, null, null, null, 'c');
    const [b] = [...batchBlocks(cols)];
    const v1 = b!.meta.slice();
    v1[0] = 1;
    const d = new DecodedBlock(v1, new TextEncoder().encode('abc'));
    expect([d.textOf(0), d.textOf(1), d.tsAt(1)]).toEqual(['ab', 'c', 6n]);
    expect(() => new DecodedBlock(v1, b!.text)).toThrow(/4 characters/);
  });
});
