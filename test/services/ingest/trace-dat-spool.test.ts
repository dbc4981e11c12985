// trace.dat input held for random access: in one buffer when its size is announced and small enough, in
// parts below the spool threshold, in a temporary file beyond (also when the input outgrows its announced
// size); every byte read back as it came, wherever the chunks split.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spool } from '../../../main/services/ingest/spool';
import type { ImportInput } from '../../../main/services/ingest/importer';
import { tempDir } from '../../helpers/tmp';

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

  describe('an input that is a file on disk', () => {
    /** The input as the walk gives a disk file: its stream (never to be read here) and the file, claims counted. */
    function diskInput(path: string, size: number): { input: ImportInput; claims: number[] } {
      const claims: number[] = [];
      const input: ImportInput = {
        head: Buffer.alloc(0),
        size,
        // eslint-disable-next-line require-yield
        async *chunks() {
          throw new Error('the stream was read');
        },
        disk: {
          path,
          fd: null,
          async claim() {
            claims.push(1);
          },
          async claimCounting() {
            throw new Error('a trace.dat is read whole, not counted piece by piece');
          },
        },
      };
      return { input, claims };
    }

    it('is read from the file, into memory, after the stream is claimed', async () => {
      const path = join(tempDir(), 'trace.dat');
      writeFileSync(path, bytes);
      const { input, claims } = diskInput(path, bytes.length);
      const s = await spool(input, ctx, limits);
      expect(claims).toEqual([1]);
      expect(s.onDisk).toBe(false);
      expect(s.size).toBe(bytes.length);
      expect([...s.read(0, s.size)]).toEqual([...bytes]);
      s.close();
    });

    it('beyond the in-memory limit, is read where it is, and left there when closed', async () => {
      const path = join(tempDir(), 'trace.dat');
      writeFileSync(path, bytes);
      const { input } = diskInput(path, bytes.length);
      const s = await spool(input, ctx, { spoolAt: 1000, inMemoryMax: 2000 });
      expect(s.onDisk).toBe(true);
      expect(s.path).toBe(path);
      expect([...s.read(999, 10)]).toEqual([...bytes.subarray(999, 1009)]);
      s.close();
      expect(existsSync(path)).toBe(true);
      expect([...readFileSync(path)]).toEqual([...bytes]);
    });

    it('is read at the size it has when read, not the size the walk saw', async () => {
      const path = join(tempDir(), 'trace.dat');
      writeFileSync(path, bytes);
      const s = await spool(diskInput(path, 100).input, ctx, limits);
      expect(s.size).toBe(bytes.length);
      expect([...s.read(2400, 100)]).toEqual([...bytes.subarray(2400)]);
      s.close();
    });
  });
});
