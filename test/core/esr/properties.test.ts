// Properties over arbitrary 64-bit values: the decoder never throws, the raw fields reassemble into the
// value, the batch JSON path says exactly what the tree decode says, and hex parsing round-trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEsrJsonEncoder, decodeEsr, esrJsonLine, esrToJson, parseEsrHex, type EsrField } from '../../../main/core/esr/index';

const any64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** Values shaped like ESRs: any EC, any ISS, ISS2 and the RES0 top byte mostly zero. */
const esrLike = fc
  .record({
    ec: fc.integer({ min: 0, max: 63 }),
    il: fc.integer({ min: 0, max: 1 }),
    iss: fc.integer({ min: 0, max: (1 << 25) - 1 }),
    iss2: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: (1 << 24) - 1 })),
    top: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  })
  .map(({ ec, il, iss, iss2, top }) => (BigInt(((top << 24) | iss2) >>> 0) << 32n) | BigInt(((ec << 26) | (il << 25) | iss) >>> 0));

const values = fc.oneof(any64, esrLike);
const el = fc.constantFrom(undefined, 1 as const, 2 as const);
const kernel = fc.constantFrom(undefined, '5.2', '5.4.37', '6.1.0-18-arm64', '6.8', '6.9', '6.13', '7.0');

function leaves(fields: readonly EsrField[]): EsrField[] {
  return fields.flatMap((f) => (f.children.length ? leaves(f.children) : [f]));
}

describe('any 64-bit value', () => {
  it('decodes without throwing, and its leaf fields cover the 64 bits once and reassemble the value', () => {
    fc.assert(
      fc.property(values, el, kernel, (v, e, k) => {
        const d = decodeEsr(v, { ...(e ? { el: e } : {}), ...(k ? { kernel: k } : {}) });
        let covered = 0n;
        let sum = 0n;
        for (const f of leaves(d.fields)) {
          const width = BigInt(f.hi - f.lo + 1);
          const mask = ((1n << width) - 1n) << BigInt(f.lo);
          expect(covered & mask).toBe(0n);
          covered |= mask;
          sum |= BigInt(f.value) << BigInt(f.lo);
        }
        expect(covered).toBe((1n << 64n) - 1n);
        expect(sum).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('gets the same --json line from the batch path as from the tree decode', () => {
    fc.assert(
      fc.property(values, el, kernel, (v, e, k) => {
        const ctx = { ...(e ? { el: e } : {}), ...(k ? { kernel: k } : {}) };
        const expected = JSON.stringify(esrToJson(decodeEsr(v, ctx)));
        expect(esrJsonLine(Number(v & 0xffffffffn), Number(v >> 32n), e ?? null, k)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('gets the same bytes from the caching encoder, first and second time', () => {
    const encoder = createEsrJsonEncoder({ el: 2, kernel: '6.1' });
    const utf8 = new TextDecoder();
    fc.assert(
      fc.property(values, (v) => {
        const lo = Number(v & 0xffffffffn);
        const hi = Number(v >> 32n);
        const expected = JSON.stringify(esrToJson(decodeEsr(v, { el: 2, kernel: '6.1' }))) + '\n';
        expect(utf8.decode(encoder.encodeLine(lo, hi))).toBe(expected);
        expect(utf8.decode(encoder.encodeLine(lo, hi))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hex parsing', () => {
  it('round-trips any 64-bit value, with or without 0x, any case, leading zeros', () => {
    fc.assert(
      fc.property(any64, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 8 }), (v, prefix, upper, zeros) => {
        let digits = '0'.repeat(zeros) + v.toString(16);
        if (upper) digits = digits.toUpperCase();
        const r = parseEsrHex((prefix ? '0x' : '') + digits);
        expect(r.ok && (BigInt(r.value.hi) << 32n) + BigInt(r.value.lo)).toBe(v);
      }),
    );
  });

  it('refuses more than 64 bits and non-hex text, naming the token', () => {
    expect(parseEsrHex('0x1_0000_0000_0000_0000')).toEqual({ ok: false, error: 'more than 64 bits: 0x1_0000_0000_0000_0000' });
    expect(parseEsrHex('ESR=0x1')).toEqual({ ok: false, error: 'not a hexadecimal value: "ESR=0x1"' });
    expect(parseEsrHex('0x')).toMatchObject({ ok: false });
    expect(parseEsrHex('0000000096000004')).toEqual({ ok: true, value: { lo: 0x96000004, hi: 0 } });
  });
});
