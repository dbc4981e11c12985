// A bundle big enough (>= 4 MiB) that its logs are read by the line reader thread: the same faults,
// diagnostics and stored lines as the small-bundle tests expect of the importing thread, with the
// damage real logs carry spread through a long file (DOMAIN.md §4).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { pageLines } from '../../../main/storage/lines';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { tempDir } from '../../helpers/tmp';

const LINES = 80_000; // ~5.5 MB

function bigDmesg(): { bytes: Buffer; faultLine: number; badLine: number; junkLine: number; longLine: number } {
  const parts: Buffer[] = [];
  let n = 0;
  const push = (s: string | Buffer): number => {
    parts.push(typeof s === 'string' ? Buffer.from(s + '\n') : Buffer.concat([s, Buffer.from('\n')]));
    return ++n;
  };
  const stamp = (): string => `[${String(1 + n / 1000).padStart(12)}] `;
  let faultLine = 0;
  let badLine = 0;
  let junkLine = 0;
  let longLine = 0;
  while (n < LINES) {
    if (n === 30_000) faultLine = push(`${stamp()}kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061`);
    else if (n === 41_000) badLine = push(Buffer.concat([Buffer.from(`${stamp()}bad `), Buffer.from([0xff, 0xfe]), Buffer.from(' byte')]));
    else if (n === 52_000) junkLine = push(`${stamp()}serial noise \u0001\u0002 here`);
    else if (n === 63_000) longLine = push(`${stamp()}${'x'.repeat(100_000)}`);
    else push(`${stamp()}usb 1-1: new high-speed USB device number ${n % 97} using xhci-hcd`);
  }
  return { bytes: Buffer.concat(parts), faultLine, badLine, junkLine, longLine };
}

describe('a big log (read by the line reader thread)', () => {
  it('gives the faults, the diagnostics with their lines, and every line stored', async () => {
    const dir = tempDir();
    const log = bigDmesg();
    expect(log.bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    writeFileSync(join(dir, 'dmesg'), log.bytes);
    const db = openDatabase(join(tempDir(), 'big.db'));
    const s = await ingestBundle(db, [dir]);
    expect(s.lines).toBe(LINES);
    const faults = allFaults(db, s.bundleId!);
    expect(faults.map((f) => [f.kind, f.esr, f.line])).toEqual([['kvm_unsupported_fsc', '0x92000061', log.faultLine]]);
    const diag = (kind: string): string | undefined => s.diagnostics.find((d) => d.kind === kind)?.example;
    expect(diag('invalid-utf8')).toContain(`dmesg:${log.badLine}`);
    expect(diag('binary-junk')).toContain(`dmesg:${log.junkLine}`);
    expect(diag('line-truncated')).toContain(`dmesg:${log.longLine}`);
    const file = db.prepare(`SELECT id FROM files WHERE bundle_id = ?`).pluck().get(s.bundleId) as number;
    expect(db.prepare(`SELECT sum(count) FROM line_blocks WHERE id >> 32 = ?`).pluck().get(file)).toBe(LINES);
    const [bad] = pageLines(db, file, log.badLine, 1);
    expect(bad!.text).toMatch(/bad \uFFFD\uFFFD byte$/);
    expect(pageLines(db, file, log.longLine, 1)[0]!.text.length).toBe(65_536);
    expect(pageLines(db, file, LINES, 5).map((l) => l.lineNo)).toEqual([LINES]);
    db.close();
  });
});
