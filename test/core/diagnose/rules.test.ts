// Diagnosis rules on real records: the fault blocks of ../shared/samples/logs (ground truth in INDEX.md there,
// read by a person) turned into FaultRecords by hand here (ingest is tested elsewhere), the 2022 KVM report's
// seed line, and ESRs worked from the Arm ARM for the KVM message kinds no sample log contains.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../main/core/diagnose/diagnose';
import { DIAGNOSIS_RULES } from '../../../main/core/diagnose/rules';
import { EMPTY_CONTEXT, type BundleContext, type FaultKind, type FaultRecord } from '../../../main/core/ingest/fault-record';

const LOGS = resolve(__dirname, '../../../../shared/samples/logs');

/** Lines [first, last] (1-based, inclusive) of a sample log. */
function lines(file: string, first: number, last: number): string {
  return readFileSync(resolve(LOGS, file), 'utf8').split('\n').slice(first - 1, last).join('\n');
}

function record(kind: FaultKind, esr: bigint | null, el: 1 | 2 | null, text: string, kernel: string | null = null): FaultRecord {
  return { kind, esr, el, far: null, ipa: null, pc: null, cpu: null, pid: null, comm: null, timeNs: null, kernel, source: { file: 'test', line: 1, endLine: 1 }, text, extra: {} };
}

const ids = (r: FaultRecord, ctx: BundleContext = EMPTY_CONTEXT): string[] => diagnoseRecord(r, ctx).diagnoses.map((d) => d.id);

const VFIO_HOST: BundleContext = {
  ...EMPTY_CONTEXT,
  kernels: ['6.1.0-18-arm64'],
  pciDevices: [{ bdf: '0000:01:00.0', description: 'VGA compatible controller', vendorDevice: null, driver: 'vfio-pci', bars: [] }],
};

describe('rules table', () => {
  it('has unique ids, a title and at least one reference per rule', () => {
    expect(new Set(DIAGNOSIS_RULES.map((r) => r.id)).size).toBe(DIAGNOSIS_RULES.length);
    for (const r of DIAGNOSIS_RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.references.length).toBeGreaterThan(0);
    }
  });
});

describe('the seed case', () => {
  const seed = record('kvm_unsupported_fsc', 0x92000061n, 2, 'Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');

  it('is diagnosed as a vfio BAR mapped Device at stage 2, naming the 6.9 fix for a 6.1 host', () => {
    const d = diagnoseRecord(seed, VFIO_HOST);
    expect(d.replay?.verdict.verdict).toBe('consistent');
    expect(d.diagnoses.map((x) => x.id)).toEqual(['vfio-bar-s2-device-unaligned']);
    const [diag] = d.diagnoses;
    expect(diag?.explanation).toMatch(/6\.9/);
    expect(diag?.explanation).toMatch(/6\.1\.0-18-arm64/);
    expect(diag?.references.map((r) => r.text).join(' ')).toMatch(/8c47ce3e1d2c/);
    expect(diag?.references.some((r) => r.url === 'https://lore.kernel.org/r/20220401090828.614167-1-xieming@kylinos.cn')).toBe(true);
  });

  it('on a 6.9+ host explains that the region is not a vfio-pci BAR', () => {
    const d = diagnoseRecord(seed, { ...VFIO_HOST, kernels: ['6.12.8'] });
    expect(d.diagnoses[0]?.explanation).toMatch(/not a vfio-pci BAR/);
  });
});

describe('sample logs', () => {
  it('008: an alignment fault (ESR 0x96000021) in the host while KVM loads the vCPU timer -> host kernel abort inside KVM', () => {
    const r = record('mem_abort', 0x96000021n, 1, lines('008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log', 237, 305), '5.2.0-rt1-00008-g5bc0332820fd');
    expect(ids(r)).toEqual(['host-kernel-abort-in-kvm']);
  });

  it('010: a NULL dereference (ESR 0x96000007) in io_mem_abort -> vgic MMIO emulation -> host kernel abort inside KVM', () => {
    const r = record('mem_abort', 0x96000007n, 1, lines('010-kvm-vgic-mmio-guest-abort-null-deref-64k.log', 1, 52), '5.5.0-rc2-14819-g4e11d8f-dirty');
    expect(ids(r)).toEqual(['host-kernel-abort-in-kvm']);
  });

  it('013: SError code 0xbf000002 (IDS = 1) -> SError severity, IMPLEMENTATION DEFINED syndrome', () => {
    const r = record('serror', 0xbf000002n, 1, lines('013-serror-devmem-user-el0-wrapped.log', 1, 3));
    const d = diagnoseRecord(r, EMPTY_CONTEXT);
    expect(d.diagnoses.map((x) => x.id)).toEqual(['serror-ras']);
    expect(d.diagnoses[0]?.explanation).toMatch(/IMPLEMENTATION DEFINED/);
    expect(d.replay).toBeNull();
  });

  it('027: SMMUv3 event 0x10 (F_TRANSLATION) with a VFIO device -> SMMU translation fault', () => {
    const r = record('smmu_event', null, null, lines('027-smmuv3-event-0x10-vfio-nested.log', 1, 5));
    const d = diagnoseRecord(r, VFIO_HOST);
    expect(d.diagnoses.map((x) => x.id)).toEqual(['smmu-translation-fault-vfio']);
    expect(d.diagnoses[0]?.explanation).toMatch(/VFIO/);
  });

  it('030: SMMUv2 "Unhandled context fault: fsr=0x402" (FSR.TF set) -> SMMU translation fault', () => {
    const r = record('smmu_context_fault', null, null, lines('030-smmuv2-context-fault-dmesg-human-timestamps.log', 1, 2).replace('\n', ' '));
    expect(ids(r)).toEqual(['smmu-translation-fault-vfio']);
  });

  it('024: a user-space page fault (ESR_EL1 0x92000047) gets no KVM diagnosis', () => {
    const r = record('mem_abort', 0x92000047n, 1, lines('024-memabort-user-dabt-lower-el-debug-prefix-64k.log', 1, 12));
    expect(ids(r)).toEqual([]);
  });

  it('003: a hyp BUG (BRK, ESR 0xf2000800) is not an abort: no diagnosis from these rules, no replay', () => {
    const r = record('hyp_bug', 0xf2000800n, 2, lines('003-kvm-nvhe-hyp-bug-qemu-guest-host.log', 1, 5));
    const d = diagnoseRecord(r, EMPTY_CONTEXT);
    expect(d.diagnoses).toEqual([]);
    expect(d.replay).toBeNull();
  });
});

describe('KVM records worked from the Arm ARM', () => {
  it('kvm_mmio_nisv: ISV = 0 outside memslots -> NISV, with the 6.1 message', () => {
    // ESR_EL2 0x92000047: EC 0x24, ISV 0, WnR 1, DFSC 0x07 (translation level 3).
    const d = diagnoseRecord(record('kvm_nisv', 0x92000047n, 2, 'kvm_mmio_nisv: ipa 0x0000000009000000, esr 0x0000000092000047'), { ...EMPTY_CONTEXT, kernels: ['6.1'] });
    expect(d.diagnoses.map((x) => x.id)).toEqual(['kvm-nisv-outside-memslots']);
    expect(d.diagnoses[0]?.explanation).toMatch(/no valid syndrome info/);
  });

  it('an unsupported guest sys_reg access to an IMPLEMENTATION DEFINED register', () => {
    // EC 0x18, IL: 0x62000000; ISS Op0 3 [21:20] 0x300000, Op2 0, Op1 1 [16:14] 0x4000, CRn 15 [13:10] 0x3c00,
    // Rt 0, CRm 2 [4:1] 0x4, Direction 1 (read): ESR 0x62307c05 = MRS X0, S3_1_C15_C2_0.
    const text = 'Unsupported guest sys_reg access at: ffff800010a3c2d4 [62307c05]';
    const d = diagnoseRecord(record('kvm_sysreg_trap', 0x62307c05n, 2, text), EMPTY_CONTEXT);
    expect(d.diagnoses.map((x) => x.id)).toEqual(['kvm-unsupported-sysreg']);
    expect(d.diagnoses[0]?.explanation).toMatch(/IMPLEMENTATION DEFINED/);
  });

  it('a stage-2 fault on a stage-1 walk (ESR_EL2 0x92000086: S1PTW, translation level 2)', () => {
    expect(ids(record('kvm_guest_fault', 0x92000086n, 2, 'kvm_guest_fault: ipa 0x1000, hsr 0x92000086'))).toContain('s2-fault-on-s1-walk');
  });

  it('a synchronous external abort at stage 2 (DFSC 0x10)', () => {
    expect(ids(record('kvm_guest_fault', 0x92000010n, 2, 'kvm_guest_fault: ipa 0x80000000, hsr 0x92000010'))).toEqual(['synchronous-external-abort']);
  });

  it('a stage-2 address size fault is one KVM does not handle', () => {
    expect(ids(record('kvm_unsupported_fsc', 0x92000003n, 2, 'Unsupported FSC: EC=0x24 xFSC=0x3 ESR_EL2=0x92000003'))).toEqual(['kvm-unsupported-fsc']);
  });
});
