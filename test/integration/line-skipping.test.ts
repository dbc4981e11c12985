// Lines that cannot matter to the fault path are counted, not built (storage/lines.ts lineSkipping): the
// records, context and diagnostics of every sample log, and of a generated log that puts fault blocks,
// wrapped lines and CPU-tagged lines among ordinary ones, must be the same either way.
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { allFaults } from '../../main/storage/faults';
import { lineSkipping } from '../../main/storage/lines';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { PROJECT_ROOT } from '../../main/services/paths';
import { tempDir } from '../helpers/tmp';

const SAMPLES = resolve(PROJECT_ROOT, '..', 'shared', 'samples', 'logs');

async function ingestWith(skipping: boolean, path: string): Promise<unknown> {
  const before = lineSkipping.enabled;
  lineSkipping.enabled = skipping;
  try {
    const db = openDatabase(':memory:');
    const s = await ingestBundle(db, [path]);
    const faults = allFaults(db, s.bundleId!).map((f) => ({ ...f, id: undefined, bundleId: undefined, fileId: undefined }));
    const context = db.prepare(`SELECT context_json FROM bundles WHERE id = ?`).pluck().get(s.bundleId);
    const diagnostics = db.prepare(`SELECT kind, severity, file, line, message, count FROM diagnostics WHERE bundle_id = ? ORDER BY id`).all(s.bundleId);
    db.close();
    return { lines: s.lines, faults, context, diagnostics };
  } finally {
    lineSkipping.enabled = before;
  }
}

/** A dmesg where most lines are noise and the ones that matter sit among them in every way they can. */
function generated(): string {
  const out: string[] = ['[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]', '[    0.000000] Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.76-1'];
  for (let i = 1; i < 4000; i++) {
    const t = `[${String(i).padStart(5)}.${String(i % 1000000).padStart(6, '0')}]`;
    if (i % 500 === 0) {
      out.push(`${t} Unable to handle kernel paging request at virtual address ffff80001234${String(i).padStart(4, '0')}`);
      out.push(`${t} Mem abort info:`, `${t}   ESR = 0x0000000096000047`, `${t}   EC = 0x25: DABT (current EL), IL = 32 bits`, `${t} Data abort info:`, `${t}   ISV = 0, ISS = 0x00000047`, `${t}   CM = 0, WnR = 1`);
      out.push(`${t} Internal error: Oops: 0000000096000047 [#1] SMP`, `${t} CPU: 5 PID: 812 Comm: modprobe Not tainted 6.1.0-18-arm64 #1`, `${t} pc : vfio_pci_core_init+0x24/0x80 [vfio_pci_core]`, `${t} ---[ end trace 0000000000000000 ]---`);
    } else if (i % 333 === 0) out.push(`${t} kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061`);
    else if (i % 250 === 0) out.push(`${t} a.out[${i}]: unhandled level 2 translation fault (11) at 0x00000000, esr 0x92000006`);
    else if (i % 97 === 0) out.push(`${t} usb 1-1: a message that wraps`, 'and goes on without a stamp');
    else if (i % 89 === 0) out.push(`${t} kvm [4325]: vgic interrupt IRQ9`);
    else out.push(`${t} usb 1-1: new high-speed USB device number ${i} using xhci-hcd`);
  }
  return out.join('\n') + '\n';
}

describe('lines that cannot matter are counted, not built', () => {
  it('gives the same records, context and diagnostics for every sample log', async () => {
    const logs = readdirSync(SAMPLES).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(5);
    for (const f of logs) {
      const path = join(SAMPLES, f);
      expect([f, await ingestWith(true, path)]).toEqual([f, await ingestWith(false, path)]);
    }
  });

  it('gives the same for a log of mostly noise with faults, wrapped lines and KVM lines among it', async () => {
    const path = join(tempDir('skipping'), 'dmesg');
    writeFileSync(path, generated());
    const on = (await ingestWith(true, path)) as { faults: unknown[] };
    expect(on.faults.length).toBeGreaterThan(20); // the Oops blocks, the KVM lines and the user faults
    expect(on).toEqual(await ingestWith(false, path));
  });
});
