// trace.dat input held for random access: in one buffer when its size is announced and small enough, in
// parts below the spool threshold, in a temporary file beyond (also when the input outgrows its announced
// size); every byte read back as it came, wherever the chunks split.
import { describe, expect, it } from 'vitest';
import { spool } from '../../../main/services/ingest/spool';
import type { ImportInput } from '../../../main/services/ingest/importer';

const ctx = { signal: new AbortController().signal, progress: () => undefined };
const limits = { spoolAt: 1000, inMemoryMax: 3000 };

function input(bytes: Uint8Array, size: number | null, chunk: number): ImportInput {
  return {
    head: Buffer.from(bytes.subarray(0, 64)),
    size,
    async *chunks() {
      for (let o = 0; o < bytes.length; o += chunk) yield Buffer.from(bytes.subarray(o, o + chunk));
    },
  };
}

describe('trace.dat spool', () => {
  const bytes = Uint8Array.from({ length: 2500 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
  const cases: [string, number | null, boolean][] = [
    ['size announced, within the in-memory limit', 2500, false],
    ['size unknown, beyond the spool threshold', null, true],
    ['size announced beyond the in-memory limit', 2500 + 3000, true],
    ['the input outgrows its announced size', 1200, true],
  ];
  for (const [what, size, onDisk] of cases) {
    it(what, async () => {
      for (const chunk of [7, 256, 4096]) {
        const s = await spool(input(bytes, size, chunk), ctx, limits);
        try {
          expect(s.onDisk).toBe(onDisk);
          expect(s.size).toBe(bytes.length);
          expect([...s.read(0, s.size)]).toEqual([...bytes]);
          expect([...s.read(999, 10)]).toEqual([...bytes.subarray(999, 1009)]);
          expect(s.read(2495, 100).length).toBe(5);
        } finally {
          s.close();
        }
      }
    });
  }

  it('a small input of unknown size stays in memory', async () => {
    const s = await spool(input(bytes.subarray(0, 900), null, 100), ctx, limits);
    expect(s.onDisk).toBe(false);
    expect([...s.read(0, 900)]).toEqual([...bytes.subarray(0, 900)]);
    s.close();
  });
});
