// The reader half of a log's ingest marks each line quiet when its message fails the fault gate, with
// the gate's search for `]: unhandled ` done once per decoded piece instead of once a line: the marks must
// be mayMatter's, line for line, on every real log and where pieces repeat each other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDialect } from '../../main/core/ingest/lines/dialect';
import { isQuiet } from '../../main/core/ingest/lines/tokenized';
import { PhysicalLineReader } from '../../main/core/ingest/lines/physical-line';
import { mayMatter } from '../../main/core/ingest/kernel-log/openers';
import { LineProducer } from '../../main/storage/line-producer';
import { DecodedBlock } from '../../main/storage/line-block';

const SAMPLES = join(__dirname, '../../../shared/samples/logs');

/** Each line's quiet mark as the producer gave it, and as mayMatter says it, for `bytes` read as `dialectOf`. */
function marks(bytes: Uint8Array, dialectOf: string): { got: boolean[]; want: boolean[] } {
  const dialect = detectDialect(dialectOf.split('\n').slice(0, 200));
  const producer = new LineProducer({ fileId: 1, dialect, yearHint: 2024 });
  const reader = new PhysicalLineReader({ dialect, yearHint: 2024 });
  const got: boolean[] = [];
  const want: boolean[] = [];
  for (const p of [...producer.bytes(bytes).packs, ...producer.end().packs]) {
    let k = 0;
    for (const b of p.blocks) {
      const d = new DecodedBlock(b.meta, b.text);
      for (let i = 0; i < d.count; i++, k++) {
        got.push(isQuiet(p.tokens, k));
        const l = reader.read(d.textOf(i), b.firstLine + i);
        want.push(!mayMatter(l.text, l.text.length - l.message.length, l.text.length));
      }
    }
  }
  return { got, want };
}

describe('LineProducer', () => {
  it('marks a line quiet exactly where mayMatter says it cannot matter, on every real log', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.log'));
    expect(files.length).toBeGreaterThan(5);
    let loud = 0;
    for (const f of files) {
      const bytes = readFileSync(join(SAMPLES, f));
      const { got, want } = marks(bytes, bytes.toString('utf8'));
      expect(got, f).toEqual(want);
      loud += want.filter((q) => !q).length;
    }
    expect(loud).toBeGreaterThan(40);
  });

  it('finds `]: unhandled ` in a piece that repeats the one before it', () => {
    // Two pieces of exactly 64 KiB with the same text: the fault line is near the start of both.
    const head = '[    1.000000] usb 1-1: new device\n[    1.000001] a.out[77]: unhandled level 2 translation fault (11) at 0x0, esr 0x92000006\n';
    let piece = head;
    while (piece.length < 65536 - 40) piece += '[    1.000002] usb 1-1: new device\n';
    piece += `[    1.000003] ${'x'.repeat(65536 - piece.length - 16)}\n`;
    expect(piece.length).toBe(65536);
    const { got, want } = marks(new TextEncoder().encode(piece + piece), piece);
    expect(want.filter((q) => !q)).toHaveLength(2);
    expect(got).toEqual(want);
  });
});
