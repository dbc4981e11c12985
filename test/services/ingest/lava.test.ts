// A LAVA job log through the whole ingest: the records its device's console holds, as that console text
// gives them (the fixture holds sample 010's lines as `target` records, test/fixtures/lava/SOURCE.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { pageLines } from '../../../main/storage/lines';
import { fileIdByPath } from '../../../main/storage/ingest';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { tempDir } from '../../helpers/tmp';

const LAVA = join(__dirname, '../../fixtures/lava/lava-qemu-arm64.yaml');
const SAMPLE = join(__dirname, '../../../../shared/samples/logs/010-kvm-vgic-mmio-guest-abort-null-deref-64k.log');
/** Records before the sample's first line in the fixture. */
const BEFORE = 7;

describe('a LAVA job log', () => {
  it("gives the records of its device's console, and LAVA's own lines stay LAVA's", async () => {
    const db = openDatabase(join(tempDir(), 'x.db'));
    const lava = await ingestBundle(db, [LAVA]);
    const plain = await ingestBundle(db, [SAMPLE]);
    expect(lava.files.map((f) => [f.path, f.format, f.lines, f.faults])).toEqual([['lava-qemu-arm64.yaml', 'lava-log', 63, 1]]);
    expect(lava.diagnostics.map((d) => d.kind)).toContain('lava-log');
    const strip = (f: ReturnType<typeof allFaults>[number]): unknown => ({ ...f, id: 0, bundleId: 0, fileId: 0, file: '', line: 0, endLine: 0, extraJson: JSON.parse(f.extraJson) as unknown });
    const [fromLava] = allFaults(db, lava.bundleId!);
    const [fromText] = allFaults(db, plain.bundleId!);
    expect(strip(fromLava!)).toEqual(strip(fromText!));
    // The record ends with the console's last line: LAVA's records after it are no wrapped part of it.
    expect([fromLava!.line - BEFORE, fromLava!.endLine - BEFORE]).toEqual([fromText!.line, fromText!.endLine]);
    const file = fileIdByPath(db, lava.bundleId!, 'lava-qemu-arm64.yaml')!;
    expect(pageLines(db, file, 60, 4).map((l) => l.text)).toEqual([
      'LAVA input: cat /proc/cmdline',
      'qemu-system-aarch64: terminating on signal 15',
      "LAVA error: Kernel panic - not syncing: matched the job's failure pattern",
      'LAVA results: {"case":"job","definition":"lava","result":"fail"}',
    ]);
    db.close();
  });

  it('is still read, its bad line kept as it is, when a record is cut', async () => {
    const dir = tempDir();
    const text = readFileSync(LAVA, 'utf8').split('\n');
    text[20] = text[20]!.slice(0, 40);
    writeFileSync(join(dir, 'job.yaml'), text.join('\n'));
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [join(dir, 'job.yaml')]);
    expect(s.files.map((f) => [f.format, f.lines, f.faults])).toEqual([['lava-log', 63, 1]]);
    expect(pageLines(db, fileIdByPath(db, s.bundleId!, 'job.yaml')!, 21, 1)[0]!.text).toBe(text[20]);
    db.close();
  });
});
