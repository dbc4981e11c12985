// Every real log in ../shared/samples/logs ingested through the whole pipeline into a real SQLite file, and
// its fault records checked against what a person reading the log found (INDEX.md, last column).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { allFaults, getFault, type FaultDetailRow } from '../../main/storage/faults';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { PROJECT_ROOT } from '../../main/services/paths';
import { tempDir } from '../helpers/tmp';

const SAMPLES = resolve(PROJECT_ROOT, '..', 'shared', 'samples', 'logs');

interface Expected {
  readonly kind: string;
  readonly esr: string | null;
  readonly far?: string | null;
  readonly ipa?: string | null;
  readonly pc?: string | null;
  readonly cpu?: number | null;
  readonly pid?: number | null;
  readonly comm?: string | null;
  readonly kernel?: string | null;
  readonly extra?: Readonly<Record<string, unknown>>;
}

// INDEX.md, "ground truth a good analyzer should find", row by row.
const INDEX: Readonly<Record<string, readonly Expected[]>> = {
  // 1 record: nVHE hyp BUG at switch.c:242, ESR 0xf2000800 (BRK #0x800 at EL2), FAR 0x80080000 / HPFAR
  // 0x800800 (-> IPA 0x80080000), Hyp Offset 0xfffea6c58e1e0000; CPU 3 PID 307 kvm-vcpu-0.
  '003-kvm-nvhe-hyp-bug-qemu-guest-host.log': [
    {
      kind: 'hyp_bug', esr: '0xf2000800', far: '0x80080000', ipa: '0x80080000', pc: '0xd93a82c705ac', cpu: 3, pid: 307, comm: 'kvm-vcpu-0',
      kernel: '5.12.0-rc3-00005-gc572b99cf65b-dirty',
      extra: { at: 'arch/arm64/kvm/hyp/nvhe/switch.c:242', hyp_offset: '0xfffea6c58e1e0000', hpfar: '0x800800' },
    },
  ],
  // 1 abort record: ESR 0x96000021 at VA ffff001f11e1e436 in kvm-vcpu-1 (pid 1430), pc __ll_sc_arch_atomic_sub_return;
  // the BUG/WARNING/UBSAN splats before it carry no ESR and give no record.
  '008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log': [
    { kind: 'mem_abort', esr: '0x96000021', far: '0xffff001f11e1e436', cpu: 0, pid: 1430, comm: 'kvm-vcpu-1', kernel: '5.2.0-rt1-00008-g5bc0332820fd', extra: { pc_symbol: '__ll_sc_arch_atomic_sub_return+0x4/0x20' } },
  ],
  // 1 record: NULL deref at VA 0x38 in qemu-system-aar.
  '010-kvm-vgic-mmio-guest-abort-null-deref-64k.log': [
    { kind: 'mem_abort', esr: '0x96000007', far: '0x38', cpu: 1, pid: 1918, comm: 'qemu-system-aar', kernel: '5.5.0-rc2-14819-g4e11d8f-dirty' },
  ],
  // 1 record: SError on CPU3 taken from EL0 (devmem, pc 0x4087b0), panic "Asynchronous SError Interrupt".
  '013-serror-devmem-user-el0-wrapped.log': [
    { kind: 'serror', esr: '0xbf000002', pc: '0x4087b0', cpu: 3, pid: 177, comm: 'devmem', kernel: '5.6.0-rc7-g3893c2025fec', extra: { panic: 'Asynchronous SError Interrupt' } },
  ],
  // 1 record: NULL deref VA 0x10 in kworker/2:1.
  '021-memabort-kernelci-printk-level-prefix.log': [{ kind: 'mem_abort', esr: '0x96000006', far: '0x10', cpu: 2, pid: 33, comm: 'kworker/2:1', kernel: '5.4.37-rc1' }],
  // 1 record: user-space write fault (EL0) at [0000ffff6dff0000].
  '024-memabort-user-dabt-lower-el-debug-prefix-64k.log': [{ kind: 'mem_abort', esr: '0x92000047', far: '0xffff6dff0000' }],
  // 1 record: F_TRANSLATION, StreamID 0x7d12, input addr 0xfffef040, dword3 0xfffef000.
  '027-smmuv3-event-0x10-vfio-nested.log': [
    { kind: 'smmu_event', esr: null, far: '0xfffef040', ipa: '0xfffef000', extra: { event_name: 'F_TRANSLATION', stream_id: '0x7d12', smmu: 'arm-smmu-v3.2.auto' } },
  ],
  // 1 SMMU record: 5040000.iommu cb=1 iova 0x7ffe35c0 fsr 0x402 (TF).
  '030-smmuv2-context-fault-dmesg-human-timestamps.log': [
    { kind: 'smmu_context_fault', esr: null, far: '0x7ffe35c0', extra: { smmu: '5040000.iommu', cb: 1, fsr: '0x402', fsynr: '0x1', fsr_flags: 'TF' } },
  ],
  // 2 records: Oops #1 VA 0x70 (kworker/0:0), Oops #2 VA fffffffffffffff8.
  '035-memabort-syslog-time-only-double-spaced-two-oopses-cm4.log': [
    { kind: 'mem_abort', esr: '0x96000005', far: '0x70', comm: 'kworker/0:0', pid: 1184, kernel: '6.1.45-v8-gdc69f9d60872', extra: { oops: 1 } },
    { kind: 'mem_abort', esr: '0x96000005', far: '0xfffffffffffffff8', extra: { oops: 2, pc_symbol: 'complete+0x58/0x94' } },
  ],
  // 0 faults (ftrace: trap loop, irq handlers, function graph).
  '039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log': [],
  '042-ftrace-raw-tracer-nop-header-qemuarm64-percpu.log': [],
  '043-trace-cmd-report-v6-header-function-graph.log': [],
  // 2 records: Oops #1 at 23352.43 (nfsd, read VA 0x10), Oops #2 at 29973.40 (read VA 0x10).
  '051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log': [
    { kind: 'mem_abort', esr: '0x96000004', far: '0x10', cpu: 3, pid: 1237, comm: 'nfsd', kernel: '5.6.17+', extra: { oops: 1 } },
    { kind: 'mem_abort', esr: '0x96000004', far: '0x10', extra: { oops: 2 } },
  ],
};

// Times INDEX.md names (seconds, as the log prints them).
const TIMES: Readonly<Record<string, readonly string[]>> = {
  '051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log': ['23352431106000', '29973397069000'],
  '013-serror-devmem-user-el0-wrapped.log': ['14460690000'],
};

function indexedFiles(): string[] {
  const index = readFileSync(join(SAMPLES, 'INDEX.md'), 'utf8');
  return [...index.matchAll(/^\| ([0-9]{3}-[^ |]+\.log) \|/gm)].map((m) => m[1]!);
}

async function faultsOf(file: string): Promise<FaultDetailRow[]> {
  const db = openDatabase(join(tempDir(), 'samples.db'));
  try {
    const s = await ingestBundle(db, [join(SAMPLES, file)]);
    expect(s.bundleId).not.toBeNull();
    return allFaults(db, s.bundleId!).map((f) => getFault(db, f.id)!);
  } finally {
    db.close();
  }
}

describe('real logs of ../shared/samples/logs against INDEX.md', () => {
  it('covers every sample INDEX.md lists, and only those', () => {
    const listed = indexedFiles();
    expect(listed.length).toBeGreaterThan(10);
    expect(Object.keys(INDEX).sort()).toEqual([...listed].sort());
    const onDisk = readdirSync(SAMPLES).filter((f) => f.endsWith('.log'));
    expect(onDisk.sort()).toEqual([...listed].sort());
  });

  for (const [file, expected] of Object.entries(INDEX)) {
    it(`${file}: ${expected.length} record(s) ${expected.map((e) => `${e.kind} ${e.esr ?? ''}`).join(', ')}`, async () => {
      const faults = await faultsOf(file);
      expect(faults.map((f) => [f.kind, f.esr])).toEqual(expected.map((e) => [e.kind, e.esr]));
      expected.forEach((e, i) => {
        const f = faults[i]!;
        const extra = JSON.parse(f.extraJson) as Record<string, unknown>;
        for (const key of ['far', 'ipa', 'pc', 'cpu', 'pid', 'comm', 'kernel'] as const) {
          if (e[key] !== undefined) expect({ [key]: f[key] }).toEqual({ [key]: e[key] });
        }
        for (const [k, v] of Object.entries(e.extra ?? {})) expect({ [k]: extra[k] }).toEqual({ [k]: v });
        expect(f.file).toBe(file);
        expect(f.endLine).toBeGreaterThanOrEqual(f.line);
        if (f.esr !== null) expect((JSON.parse(f.decodeJson!) as { esr: string }).esr).toBe(f.esr);
      });
      const times = TIMES[file];
      if (times) expect(faults.map((f) => f.timeNs?.toString())).toEqual(times);
    });
  }

  it('keeps the record text as the log printed it (003: the whole panic, end-of-panic echo included)', async () => {
    const [f] = await faultsOf('003-kvm-nvhe-hyp-bug-qemu-guest-host.log');
    const lines = readFileSync(join(SAMPLES, '003-kvm-nvhe-hyp-bug-qemu-guest-host.log'), 'utf8').split('\n');
    expect(f!.line).toBe(1);
    expect(f!.endLine).toBe(lines.filter((l) => l !== '').length);
    expect(f!.text.split('\n')[0]).toBe(lines[0]);
    expect(f!.text.endsWith('VCPU:0000d93a880d0000 ]---')).toBe(true);
  });
});
