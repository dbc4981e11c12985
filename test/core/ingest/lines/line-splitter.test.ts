import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_CHARS, hasBinaryJunk, hasBinaryJunkBytes, LineSplitter, type LineProblem } from '../../../../main/core/ingest/lines/line-splitter';

function split(chunks: (string | Uint8Array)[], maxLineChars?: number): { lines: [number, string][]; problems: [LineProblem, number][] } {
  const lines: [number, string][] = [];
  const problems: [LineProblem, number][] = [];
  const s = new LineSplitter({ line: (t, n) => lines.push([n, t]), problem: (k, n) => problems.push([k, n]) }, maxLineChars === undefined ? {} : { maxLineChars });
  for (const c of chunks) s.push(typeof c === 'string' ? new TextEncoder().encode(c) : c);
  s.end();
  return { lines, problems };
}

describe('LineSplitter', () => {
  it('carries a partial line across chunks and numbers lines from 1', () => {
    expect(split(['[ 1.0] fir', 'st\n[ 2.0] sec', 'ond\nthird']).lines).toEqual([
      [1, '[ 1.0] first'],
      [2, '[ 2.0] second'],
      [3, 'third'],
    ]);
  });

  it('ends lines at LF with CRLF and serial CR CR LF removed, keeps empty lines', () => {
    expect(split(['a\r\nb\r\r\n\nc\n']).lines).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, ''],
      [4, 'c'],
    ]);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = new TextEncoder().encode('µs\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)]).lines).toEqual([[1, 'µs']]);
  });

  it('replaces invalid UTF-8 and reports the line', () => {
    const r = split([new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0x63, 0x0a])]);
    expect(r.lines).toEqual([
      [1, 'a\uFFFDb'],
      [2, 'c'],
    ]);
    expect(r.problems).toEqual([['invalid-utf8', 1]]);
  });

  it('strips ANSI colour sequences (serial consoles)', () => {
    expect(split(['\x1b[0;32m  OK  \x1b[0m] Started Journal Service.\n']).lines).toEqual([[1, '  OK  ] Started Journal Service.']]);
  });

  it('cuts a line longer than the limit, drops its rest, and goes on with the next line', () => {
    const long = 'x'.repeat(50);
    const r = split([long.slice(0, 20), long.slice(20) + '\nnext\n'], 16);
    expect(r.lines).toEqual([
      [1, 'x'.repeat(16)],
      [2, 'next'],
    ]);
    expect(r.problems).toEqual([['line-truncated', 1]]);
  });

  it('cuts an over-long line that arrives in one chunk', () => {
    const r = split(['y'.repeat(40) + '\nz\n'], 10);
    expect(r.lines).toEqual([
      [1, 'y'.repeat(10)],
      [2, 'z'],
    ]);
  });

  it('reports control characters of binary junk', () => {
    expect(split(['ok\nbad\x00\x01line\n']).problems).toEqual([['binary-junk', 2]]);
  });

  it('gives the same lines whatever the chunks', () => {
    // Lines of up to 40 kB in chunks of up to 200 kB: pieces of 64 KiB are decoded one at a time, so lines
    // cross pieces as well as chunks, and characters of several bytes are cut between chunks.
    const lineArb = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat({ max: 40_000 }).map((n) => 'x'.repeat(n)));
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), fc.array(fc.nat({ max: 200_000 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(DEFAULT_MAX_LINE_CHARS, 1000), (raw, cuts, maxLineChars) => {
        // eslint-disable-next-line no-control-regex -- the characters the splitter treats apart
        const lines = raw.map((l) => l.replace(/[\r\n\x1b\x00-\x1f\ufffd]/g, '.'));
        const bytes = new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
        const got: [number, string][] = [];
        const splitter = new LineSplitter({
          line: (t, n) => got.push([n, t]),
          lineIn: (t, start, end, n) => got.push([n, t.slice(start, end)]),
          problem: () => undefined,
        }, { maxLineChars });
        let at = 0;
        for (const cut of [...cuts, bytes.length]) {
          const chunk = bytes.subarray(at, Math.max(at, Math.min(bytes.length, at + cut)));
          at += chunk.length;
          splitter.push(chunk);
        }
        splitter.end();
        expect(got).toEqual(lines.map((l, i) => [i + 1, l.slice(0, maxLineChars)]));
      }),
      { numRuns: 60 },
    );
  });

  it('finds binary junk in bytes exactly where it is in their text', () => {
    // Mostly printable bytes, with control and non-ASCII ones among them, at any offset of a buffer.
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x80, max: 0xff }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 64 }), fc.nat({ max: 7 }), (values, offset) => {
        const buffer = new Uint8Array(offset + values.length);
        buffer.set(values, offset);
        const bytes = buffer.subarray(offset);
        expect(hasBinaryJunkBytes(bytes)).toBe(hasBinaryJunk(new TextDecoder().decode(bytes)));
      }),
      { numRuns: 2000 },
    );
  });
});
