// eachFault gives the records of allFaults, in the same order, a page at a time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { allFaults, eachFault } from '../../main/storage/faults';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { SAMPLES_DIR } from '../../main/services/paths';
import { tempDir } from '../helpers/tmp';

describe('eachFault', () => {
  it('reads the records of allFaults in their order, over several pages and bundles', async () => {
    const dir = tempDir();
    // 2,500 records in two files (more than two pages), then the sample bundle's few
    const line = (i: number): string => `[${String(100 + 2 * i).padStart(5)}.000000] kvm [${4000 + (i % 7)}]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061`;
    writeFileSync(join(dir, 'b-dmesg'), Array.from({ length: 1500 }, (_, i) => line(i)).join('\n') + '\n');
    writeFileSync(join(dir, 'a-console'), Array.from({ length: 1000 }, (_, i) => line(5000 + i)).join('\n') + '\n');
    const db = openDatabase(join(tempDir(), 'each.db'));
    const storm = await ingestBundle(db, [dir]);
    const sample = await ingestBundle(db, [join(SAMPLES_DIR, 'gpu-passthrough-6.1')]);
    for (const bundle of [undefined, storm.bundleId!, sample.bundleId!]) {
      const all = allFaults(db, bundle);
      expect([...eachFault(db, bundle)]).toEqual(all);
    }
    expect(allFaults(db).length).toBe(2500 + sample.faults);
    expect(allFaults(db, storm.bundleId!).map((f) => f.file).slice(999, 1001)).toEqual(['a-console', 'b-dmesg']);
    db.close();
  });
});
