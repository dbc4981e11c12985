// A kern.log written by rsyslog keeps the kernel's own stamp after `kernel: ` while the line's time is the
// syslog one, to the second: a fault keeps the stamp beside its time (`since_boot_ns`), so that it can be
// matched with the traces and the dmesg of the same boot, which count since boot. Ingested from files
// through the real pipeline; read back through `faultline faults --json` and the text report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { runFaultline } from '../../helpers/cli';
import { tempDir } from '../../helpers/tmp';

const KERN_LOG = [
  'May 24 14:33:10 host1 kernel: [ 7910.000001] vfio-pci 0000:01:00.0: enabling device (0000 -> 0003)',
  'May 24 14:33:12 host1 kernel: [ 7912.345678] kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
  'May 24 14:33:13 host1 kernel: kvm [4243]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
].join('\n');

const DMESG = '[ 7915.000100] kvm [4245]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n';

describe("a syslog line's own kernel stamp", () => {
  it('is kept beside the wall-clock time of its fault, and only where the kernel printed it', async () => {
    const dir = tempDir();
    const bundle = join(dir, 'bundle');
    const dbPath = join(dir, 'f.db');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'kern.log'), KERN_LOG + '\n');
    writeFileSync(join(bundle, 'dmesg'), DMESG);
    const db = openDatabase(dbPath);
    await ingestBundle(db, [bundle]);
    db.close();
    const run = await runFaultline(['faults', '--db', dbPath, '--json']);
    expect(run.code).toBe(0);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: { file: string; line: number }; clock: string; since_boot_ns?: string });
    const byPlace = Object.fromEntries(records.map((r) => [`${r.source.file}:${r.source.line}`, r]));
    expect(byPlace['kern.log:2']).toMatchObject({ clock: 'realtime', since_boot_ns: '7912345678000' });
    // No stamp in the line; a since-boot time already.
    expect(byPlace['kern.log:3']).toBeDefined();
    expect(byPlace['kern.log:3']!.since_boot_ns).toBeUndefined();
    expect(byPlace['dmesg:1']).toMatchObject({ clock: 'monotonic' });
    expect(byPlace['dmesg:1']!.since_boot_ns).toBeUndefined();

    const report = await runFaultline(['report', '--db', dbPath, '--text', '-']);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("7912.345678 s since boot (the kernel's stamp in the line)");
  });
});
