// Replaying recorded faults. The seed record is the line KVM printed in the 2022 report (lore
// 20220401090828.614167-1-xieming@kylinos.cn: 'kvm will report: "Unsupported FSC: EC=0x24 xFSC=0x21
// ESR_EL2=0x92000061"', a GPU passed through with vfio-pci). The bundle contexts are built here to mirror that
// setup: a host with one vfio-pci GPU, with or without a kernel version.
import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, type BundleContext, type FaultRecord } from '../../../main/core/ingest/fault-record';
import { buildReplayInputs, releaseBefore } from '../../../main/core/mmu/replay-inputs';
import { recordReplayToJson } from '../../../main/core/mmu/json';
import { parsePtdump } from '../../../main/core/mmu/ptdump';
import { classifyReplay, esrDifferences, replayRecord, whatIf } from '../../../main/core/mmu/replay-record';

const SEED: FaultRecord = {
  kind: 'kvm_unsupported_fsc',
  esr: 0x92000061n,
  el: 2,
  far: null,
  ipa: null,
  pc: null,
  cpu: null,
  pid: null,
  comm: null,
  timeNs: null,
  kernel: null,
  source: { file: 'lore/20220401090828.614167-1-xieming@kylinos.cn', line: 1, endLine: 1 },
  text: 'Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
  extra: {},
};

const GPU_HOST = (kernel: string | null): BundleContext => ({
  ...EMPTY_CONTEXT,
  kernels: kernel ? [kernel] : [],
  pciDevices: [
    {
      bdf: '0000:01:00.0',
      description: 'VGA compatible controller',
      vendorDevice: null,
      driver: 'vfio-pci',
      bars: [{ index: 0, address: 0x8000000000n, size: 0x400000000n, prefetchable: true, is64: true }],
    },
  ],
});

describe('the seed record', () => {
  it('is consistent on a 6.1 host with a vfio-pci GPU: the model reproduces ESR_EL2 0x92000061', () => {
    const r = replayRecord(SEED, GPU_HOST('6.1.0-18-arm64'));
    expect(r?.verdict).toEqual({ verdict: 'consistent' });
    expect(r?.outcome.fault?.esr).toBe(0x92000061n);
    expect(r?.outcome.kvm?.log).toBe('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    const byName = Object.fromEntries((r?.inputs.inputs ?? []).map((i) => [i.name, i]));
    expect(byName['host kernel']).toMatchObject({ value: '6.1.0-18-arm64', basis: 'context' });
    expect(byName['IPA region']).toMatchObject({ basis: 'assumed', value: 'a BAR of 0000:01:00.0 (vfio-pci)' });
    expect(byName['guest mapping']?.value).toMatch(/write-combined/);
    expect(byName['stage-2 MemAttr']?.value).toBe('0b0001');
  });

  it('shows the what-ifs: kernel >= 6.9 completes the access; a guest Device mapping faults at stage 1 instead', () => {
    const r = replayRecord(SEED, GPU_HOST('6.1.0-18-arm64'));
    const row = (change: string) => r?.whatIfs.find((w) => w.change === change);
    expect(row('host kernel 6.9')?.outcome.outcome).toBe('ok');
    expect(row('host kernel 6.9')?.reproduces).toBe(false);
    expect(row('guest mapping MAIR 0x04')?.outcome.fault).toMatchObject({ stage: 1, esr: 0x96000061n });
    expect(row('an aligned access')?.outcome.outcome).toBe('ok');
    expect(row('HCR_EL2.FWB = 1')?.reproduces).toBe(true);
  });

  it('is underdetermined without a kernel version: before 6.9 it reproduces, from 6.9 it would not exist', () => {
    const r = replayRecord(SEED, GPU_HOST(null));
    expect(r?.verdict.verdict).toBe('underdetermined');
    if (r?.verdict.verdict !== 'underdetermined') return;
    expect(r.verdict.missing).toEqual(['host kernel']);
    const choices = Object.fromEntries(r.verdict.choices.map((c) => [c.change, c.reproduces]));
    expect(choices).toEqual({ 'host kernel 6.9': false, 'host kernel 6.8': true });
  });

  it('on a 6.10 host the vfio-pci assumption does not fit; another device region would', () => {
    const r = replayRecord(SEED, GPU_HOST('6.10'));
    expect(r?.outcome.outcome).toBe('ok');
    expect(r?.verdict.verdict).toBe('underdetermined');
    if (r?.verdict.verdict === 'underdetermined') expect(r.verdict.missing).toEqual(['IPA region']);
  });

  it('is inconsistent when the recorded ESR cannot come from the model, naming the fields', () => {
    // EC 0x25 (a same-EL data abort) claimed as ESR_EL2 of a guest exit: a guest access faulting at stage 2 is
    // always reported as from a lower EL (0x24). The direction (WnR 0, a load) is taken from the record itself,
    // so only EC differs, whatever the inputs.
    const odd: FaultRecord = { ...SEED, esr: 0x96000021n };
    const r = replayRecord(odd, GPU_HOST('6.1'));
    expect(r?.verdict.verdict).toBe('inconsistent');
    if (r?.verdict.verdict === 'inconsistent') expect(r.verdict.differences.map((d) => d.field)).toEqual(['EC']);
  });
});

describe('building inputs', () => {
  it('takes the access size from ISV = 1 syndromes and the direction from WnR', () => {
    // Worked: EC 0x24, IL, ISV [24] = 1, SAS [23:22] = 0b11 (8 bytes), WnR 1, DFSC 0x07.
    const esr = (0x24n << 26n) | (1n << 25n) | (1n << 24n) | (3n << 22n) | (1n << 6n) | 0x07n;
    const inputs = buildReplayInputs({ ...SEED, kind: 'kvm_guest_fault', esr, ipa: 0x9000000n }, EMPTY_CONTEXT);
    expect(inputs?.scenario.access).toMatchObject({ kind: 'store', size: 8 });
    expect(inputs?.inputs[0]?.basis).toBe('recorded');
  });

  it('finds the BAR holding a recorded IPA and its driver', () => {
    const inputs = buildReplayInputs({ ...SEED, ipa: 0x8000001000n }, GPU_HOST('6.1'));
    expect(inputs?.device?.bdf).toBe('0000:01:00.0');
    expect(inputs?.inputs.find((i) => i.name === 'IPA region')?.basis).toBe('context');
  });

  it('returns null for records without an abort ESR (a BRK, an SError, no ESR)', () => {
    expect(buildReplayInputs({ ...SEED, esr: 0xf2000800n }, EMPTY_CONTEXT)).toBeNull();
    expect(buildReplayInputs({ ...SEED, esr: null }, EMPTY_CONTEXT)).toBeNull();
  });

  it('names the release before a policy change', () => {
    expect(releaseBefore('6.9')).toBe('6.8');
    expect(releaseBefore('6.0')).toBe('5.19');
    expect(releaseBefore('5.0')).toBe('4.20');
  });
});

describe('whatIf and classifyReplay', () => {
  it('an aligned access, or stage 2 Normal-NC, completes the seed access', () => {
    const s = buildReplayInputs(SEED, GPU_HOST('6.1'))?.scenario;
    if (!s) throw new Error('no scenario');
    expect(whatIf(s, { kind: 'aligned' }).outcome.outcome).toBe('ok');
    expect(whatIf(s, { kind: 's2-memattr', memattr: 0b0101 }).outcome.memattrs).toMatchObject({ memtype: 'Normal', inner: { attrs: 'NC' } });
    expect(whatIf(s, { kind: 'kernel', kernel: '6.9' }).scenario.stage2).toMatchObject({ memattr: 0b0101 });
  });

  it('compares ESR fields one by one', () => {
    expect(esrDifferences(0x92000061n, 0x92000061n)).toEqual([]);
    expect(esrDifferences(0x92000061n, 0x92000021n)).toEqual([{ field: 'WnR', recorded: '0x1', predicted: '0x0' }]);
    const r = replayRecord(SEED, GPU_HOST('6.1'));
    if (!r) throw new Error('no replay');
    expect(classifyReplay({ ...SEED, esr: 0x92000021n }, r.outcome).verdict).toBe('inconsistent');
  });
});

describe('page-table dumps as evidence', () => {
  // Guest kernel_page_tables and KVM stage2_page_tables lines, written from the kernel's format strings
  // (see ptdump.test.ts): the vmalloc mapping of the GPU BAR, and the stage-2 block of its IPA.
  const guestDump = (type: string) =>
    parsePtdump(['---[ vmalloc() area ]---', `0xffff800010000000-0xffff800010200000           2M PMD       RW NX SHD AF        BLK UXN    ${type}`].join('\n'));
  const s2Dump = parsePtdump(['---[ Guest IPA ]---', '0x0000008000000000-0x0000008000200000           2M 2   R W PXNUXN AF BLK'].join('\n'));
  const withAddresses: FaultRecord = { ...SEED, far: 0xffff800010001001n, ipa: 0x8000001001n };

  it('a guest dump showing MEM/NORMAL-NC makes the guest mapping recorded, and the record consistent', () => {
    const r = replayRecord(withAddresses, GPU_HOST('6.1'), { guestPtdump: guestDump('MEM/NORMAL-NC'), stage2Ptdump: s2Dump });
    const byName = Object.fromEntries((r?.inputs.inputs ?? []).map((i) => [i.name, i]));
    expect(byName['guest mapping']).toMatchObject({ basis: 'recorded', value: 'MEM/NORMAL-NC (MAIR 0x44)' });
    expect(byName['stage-2 permissions']).toMatchObject({ basis: 'recorded', value: 'RW XN 0b10' });
    expect(byName['address']).toMatchObject({ basis: 'recorded', value: '0xffff800010001001' });
    expect(r?.verdict.verdict).toBe('consistent');
  });

  it('a guest dump showing DEVICE/nGnRE contradicts the record: that access faults at stage 1, in the guest', () => {
    const r = replayRecord(withAddresses, GPU_HOST('6.1'), { guestPtdump: guestDump('DEVICE/nGnRE') });
    expect(r?.outcome.fault).toMatchObject({ stage: 1, takenTo: 'EL1' });
    expect(r?.verdict.verdict).toBe('inconsistent');
    if (r?.verdict.verdict === 'inconsistent') expect(r.verdict.differences.map((d) => d.field)).toEqual(['taken to', 'EC']);
  });
});

describe('recordReplayToJson', () => {
  it('renders the verdict, the labelled inputs and the what-ifs for `faults --json`', () => {
    const r = replayRecord(SEED, GPU_HOST(null));
    if (!r) throw new Error('no replay');
    const j = recordReplayToJson(r);
    expect(j.verdict).toBe('underdetermined');
    expect(j.missing).toEqual(['host kernel']);
    expect(j.choices?.map((c) => [c.change, c.reproduces, c.outcome.fault?.esr ?? c.outcome.outcome])).toEqual([
      ['host kernel 6.9', false, 'ok'],
      ['host kernel 6.8', true, '0x92000061'],
    ]);
    expect(j.inputs.find((i) => i.name === 'host kernel')).toEqual({ name: 'host kernel', value: 'unknown', basis: 'unknown', source: 'no kernel version in the record or the bundle' });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
