// Whether the faulting address was mapped, as a replay input, and what KVM does with a missing stage-2 entry.
// Expected values are worked by hand from the Arm ARM ESR_ELx abort ISS (ISV [24], SAS [23:22] = 1 << SAS bytes,
// SRT [20:16], CM [8], S1PTW [7], WnR [6], DFSC [5:0]; ASL EncodeLDFSC: translation 0b0001LL, access flag
// 0b0010LL, permission 0b0011LL at level LL, LPA2 level -1 translation 0b101011), HPFAR_EL2.FIPA = IPA[47:12]
// at [43:4], the synthesized ESR having IL = 1 and ISV = 0; and from Linux arch/arm64/kvm/mmu.c
// kvm_handle_guest_abort() / mmio.c io_mem_abort(): the FSC must be translation, permission or access flag
// (before 6.9 tested as FSC & 0x3c, so 0x2B was "Unsupported FSC"); then the memslot lookup; outside every
// memslot an instruction abort injects a prefetch abort, S1PTW injects a data abort, CM is skipped, otherwise
// io_mem_abort emulates the access when ISV = 1 (trace kvm_mmio, PC skips the instruction) and fails with
// -ENOSYS when ISV = 0 (5.5-6.6: "Data abort outside memslots with no valid syndrome info", before 5.5
// "load/store instruction decoding not implemented", 6.7+ silent); inside, an access-flag fault is
// handle_access_fault() and anything else user_mem_abort().
import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, type BundleContext, type FaultRecord } from '../../../main/core/ingest/fault-record';
import { recordReplayToJson } from '../../../main/core/mmu/json';
import { parsePtdump } from '../../../main/core/mmu/ptdump';
import { buildReplayInputs } from '../../../main/core/mmu/replay-inputs';
import { replayRecord, whatIf, type RecordReplay } from '../../../main/core/mmu/replay-record';
import type { Stage2Walk } from '../../../main/core/mmu/scenario';

// A kvm_guest_fault event as trace_kvm_guest_fault prints it: ipa from HPFAR (page aligned), hsr = ESR_EL2.
const TRACE: FaultRecord = {
  kind: 'kvm_guest_fault',
  esr: 0n,
  el: 2,
  far: null,
  ipa: null,
  pc: null,
  cpu: null,
  pid: null,
  comm: null,
  timeNs: null,
  kernel: '6.1.0-18-arm64',
  source: { file: 'trace', line: 1, endLine: 1 },
  text: '',
  extra: {},
};
const guestFault = (esr: bigint, ipa: bigint, far: bigint | null = null, kernel = '6.1.0-18-arm64'): FaultRecord => ({ ...TRACE, esr, ipa, far, kernel });

// An Oops as a kernel prints it ("Mem abort info: ESR = ..."): ESR_EL1 of the kernel's own access.
const oops = (esr: bigint, far: bigint): FaultRecord => ({ ...TRACE, kind: 'mem_abort', el: null, kernel: '5.5.0', esr, far });

// A host with a vfio-pci GPU whose BAR the context lists at the guest-physical address the guest uses.
const GPU: BundleContext = {
  ...EMPTY_CONTEXT,
  kernels: ['6.1.0-18-arm64'],
  pciDevices: [{ bdf: '0000:01:00.0', description: '3D controller', vendorDevice: null, driver: 'vfio-pci', bars: [{ index: 1, address: 0x8000000000n, size: 0x800000000n, prefetchable: true, is64: true }] }],
};
// A host whose bundle gives no guest-physical memory map at all.
const NO_MAP: BundleContext = { ...GPU, pciDevices: [{ ...(GPU.pciDevices[0] as BundleContext['pciDevices'][number]), bars: [] }] };

const byName = (r: RecordReplay | null) => Object.fromEntries((r?.inputs.inputs ?? []).map((i) => [i.name, i]));
function choices(r: RecordReplay | null) {
  if (r?.verdict.verdict !== 'underdetermined') throw new Error(`expected underdetermined, got ${r?.verdict.verdict}`);
  return r.verdict;
}

describe('a stage-2 translation fault: the IPA not mapped yet is a choice, not a contradiction', () => {
  // 0x93810047: EC [31:26] 0b100100 = 0x24 (DABT from a lower EL), IL 1, ISV 1, SAS 0b10 (4 bytes), SRT 1 (x1),
  // WnR 1, DFSC 0b000111 = translation fault, level 3. A 4-byte store to the IPA 0x9000000.
  const rec = guestFault(0x93810047n, 0x9000000n, 0xffff800009000000n);

  it('is underdetermined by the stage-2 mapping; the missing entry reproduces the ESR at level 3', () => {
    const r = replayRecord(rec, NO_MAP);
    expect(byName(r)['access']).toMatchObject({ value: 'store of 4 bytes', basis: 'recorded' });
    expect(byName(r)['IPA mapped at stage 2']).toMatchObject({ value: 'unknown', basis: 'unknown' });
    expect(r?.outcome.outcome).toBe('ok');
    const v = choices(r);
    expect(v.missing).toEqual(['IPA mapped at stage 2']);
    expect(v.choices).toHaveLength(1);
    const c = v.choices[0];
    expect(c?.change).toBe('IPA not mapped at stage 2 yet (first touch / outside memslots), level 3');
    expect(c?.reproduces).toBe(true);
    // Synthesized: 0x24 << 26 | IL 1 << 25 | WnR 0x40 | 0x07 = 0x92000047 (ISV 0: the model has no syndrome);
    // HPFAR_EL2 = (0x9000000 >> 12) << 4 = 0x90000.
    expect(c?.outcome.fault).toMatchObject({ stage: 2, takenTo: 'EL2', type: 'translation', level: 3, esr: 0x92000047n, ipa: 0x9000000n, hpfar: 0x90000n });
  });

  it('says what KVM does: maps the page inside a memslot; outside, ISV = 1 lets io_mem_abort emulate it (kvm_mmio)', () => {
    const kvm = choices(replayRecord(rec, NO_MAP)).choices[0]?.outcome.kvm;
    expect(kvm?.path).toBe('memslot_unknown');
    expect(kvm?.cases?.map((k) => k.path)).toEqual(['user_mem_abort', 'io_mem_abort_mmio']);
    expect(kvm?.cases?.every((k) => k.log === null)).toBe(true);
    const outside = choices(replayRecord(rec, NO_MAP, { inMemslot: false })).choices[0]?.outcome.kvm;
    expect(outside).toMatchObject({ path: 'io_mem_abort_mmio', log: null });
    expect(outside?.text).toMatch(/kvm_mmio/);
    expect(outside?.result).toMatch(/after the instruction/);
  });

  it('renders the cases in the faults --json replay', () => {
    const j = recordReplayToJson(replayRecord(rec, NO_MAP) as RecordReplay);
    expect(j.verdict).toBe('underdetermined');
    expect(j.choices?.[0]?.outcome.kvm?.cases?.map((k) => [k.path, k.when])).toEqual([
      ['user_mem_abort', 'the IPA is inside a memslot (guest RAM, or a BAR the VMM mapped)'],
      ['io_mem_abort_mmio', 'the IPA is outside every memslot (emulated device memory)'],
    ]);
  });
});

describe('first touch of a passed-through BAR (ESR 0x92000047: ISV 0, WnR 1, level-3 translation)', () => {
  const rec = guestFault(0x92000047n, 0x8000001000n, 0xffff800088001000n);

  it('inside a BAR the bundle lists, the IPA is assumed in a memslot (QEMU mmaps the VFIO region): KVM maps it', () => {
    const r = replayRecord(rec, GPU);
    expect(byName(r)['IPA region']).toMatchObject({ basis: 'context' });
    expect(byName(r)['IPA in a memslot']).toMatchObject({ value: 'yes (the BAR as QEMU maps it)', basis: 'assumed' });
    expect(byName(r)['IPA in a memslot']?.source).toMatch(/VFIO region mmap/);
    const c = choices(r).choices[0];
    expect(c?.outcome.fault?.esr).toBe(0x92000047n);
    expect(c?.outcome.kvm).toMatchObject({ path: 'user_mem_abort', log: null });
  });

  it('outside every memslot (x-no-mmap), ISV = 0 cannot be emulated: -ENOSYS with the message of the kernel', () => {
    const s = buildReplayInputs(rec, GPU)?.scenario;
    if (!s) throw new Error('no scenario');
    const unmapped = whatIf(s, { kind: 's2-mapping', mapping: { state: 'unmapped', level: 3 } }).scenario;
    const outside = whatIf(unmapped, { kind: 'memslot', inMemslot: false }).scenario;
    const log = (kernel: string) => whatIf(outside, { kind: 'kernel', kernel }).outcome.kvm;
    expect(log('6.1.0-18-arm64')).toMatchObject({ path: 'io_mem_abort_nisv', log: 'Data abort outside memslots with no valid syndrome info' });
    expect(log('5.4')?.log).toBe('load/store instruction decoding not implemented');
    expect(log('6.12')).toMatchObject({ path: 'io_mem_abort_nisv', log: null });
    expect(log('6.12')?.result).toMatch(/-ENOSYS/);
  });

  it('without a memory map the BAR is not found (lspci addresses are host-physical) and both cases are given', () => {
    const r = replayRecord(rec, NO_MAP);
    expect(byName(r)['IPA region']?.source).toMatch(/in no BAR lspci lists/);
    expect(byName(r)['IPA in a memslot']).toMatchObject({ value: 'unknown', basis: 'unknown' });
    const cases = choices(r).choices[0]?.outcome.kvm?.cases;
    expect(cases?.map((k) => [k.path, k.log])).toEqual([
      ['user_mem_abort', null],
      ['io_mem_abort_nisv', 'Data abort outside memslots with no valid syndrome info'],
    ]);
  });
});

describe('the level and the kind of walk fault come from the DFSC', () => {
  it('translation faults at levels 0-3 (DFSC 0x04-0x07) reproduce at their own level', () => {
    for (let level = 0; level <= 3; level++) {
      const esr = 0x92000000n | BigInt(0x04 + level); // EC 0x24, IL 1, a load (WnR 0)
      const c = choices(replayRecord(guestFault(esr, 0x40000000n), NO_MAP)).choices[0];
      expect(c?.change).toBe(`IPA not mapped at stage 2 yet (first touch / outside memslots), level ${level}`);
      expect(c?.outcome.fault).toMatchObject({ type: 'translation', level, dfsc: 0x04 + level, esr });
    }
  });

  it('access-flag faults (DFSC 0x09-0x0b) reproduce as a mapped entry with AF = 0, which KVM makes young', () => {
    for (let level = 1; level <= 3; level++) {
      const esr = 0x92000040n | BigInt(0x08 + level); // a store: WnR 1
      const c = choices(replayRecord(guestFault(esr, 0x40000000n), NO_MAP)).choices[0];
      expect(c?.change).toBe(`IPA mapped at stage 2 with AF = 0 (aged by KVM, kvm_age_gfn), level ${level}`);
      expect(c?.outcome.fault).toMatchObject({ type: 'access_flag', level, esr });
      // An entry with AF = 0 exists only where KVM mapped memslot memory: handle_access_fault.
      expect(c?.outcome.kvm?.path).toBe('access_flag');
    }
  });

  it('a level -1 translation fault (0x2B, FEAT_LPA2) reproduces; KVM before 6.9 does not recognise it', () => {
    const r = (kernel: string) => choices(replayRecord(guestFault(0x9200002bn, 0x40000000n, null, kernel), NO_MAP)).choices[0];
    expect(r('6.8')?.outcome.fault).toMatchObject({ type: 'translation', level: -1, esr: 0x9200002bn });
    expect(r('6.8')?.outcome.kvm).toMatchObject({ path: 'unsupported_fsc', log: 'Unsupported FSC: EC=0x24 xFSC=0x2b ESR_EL2=0x9200002b' });
    expect(r('6.9')?.outcome.kvm?.path).toBe('memslot_unknown');
  });

  it('a stage-2 fault on the guest walk (S1PTW 1, 0x92000086): the IPA is the table page, KVM maps it or injects an abort', () => {
    // ISS 0x86 = S1PTW 0x80 | DFSC 0x06 (level 2); the IPA recorded from HPFAR is the descriptor's.
    const rec = guestFault(0x92000086n, 0x40001000n);
    const c = choices(replayRecord(rec, EMPTY_CONTEXT)).choices[0];
    expect(c?.outcome.fault).toMatchObject({ stage: 2, s1ptw: true, type: 'translation', level: 2, esr: 0x92000086n, hpfar: 0x400010n });
    expect(c?.outcome.kvm?.path).toBe('user_mem_abort');
    const outside = choices(replayRecord(rec, EMPTY_CONTEXT, { inMemslot: false })).choices[0]?.outcome.kvm;
    expect(outside?.path).toBe('s1ptw_outside_memslot');
  });
});

describe('faults checked after a successful walk imply the mapping', () => {
  const SEED = guestFault(0x92000061n, 0x8000001000n, 0xffff800088001001n);

  it('the seed alignment fault stays consistent, with the mapping recorded from the ESR', () => {
    const r = replayRecord(SEED, GPU);
    expect(r?.verdict).toEqual({ verdict: 'consistent' });
    expect(byName(r)['IPA mapped at stage 2']).toMatchObject({ value: 'yes, AF = 1', basis: 'recorded' });
    expect(r?.outcome.kvm?.log).toBe('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
  });

  it('a stage-2 permission fault at level 2 (0x9200004e, a write): a read-only entry there, which KVM makes writable', () => {
    const r = replayRecord(guestFault(0x9200004en, 0x40000000n), EMPTY_CONTEXT);
    expect(byName(r)['IPA mapped at stage 2']).toMatchObject({ value: 'yes, AF = 1 (leaf at level 2)', basis: 'recorded' });
    const v = choices(r);
    expect(v.missing).toEqual(['stage-2 permissions']);
    expect(v.choices[0]?.outcome.fault).toMatchObject({ type: 'permission', level: 2, esr: 0x9200004en });
    expect(v.choices[0]?.outcome.kvm?.path).toBe('user_mem_abort');
  });

  it('an instruction fetch permission fault (0x8200000f, EC 0x20): a non-executable stage-2 entry', () => {
    const c = choices(replayRecord(guestFault(0x8200000fn, 0x40000000n), EMPTY_CONTEXT)).choices[0];
    expect(c?.change).toMatch(/not executable/);
    expect(c?.outcome.fault).toMatchObject({ stage: 2, ec: 0x20, type: 'permission', level: 3, esr: 0x8200000fn });
  });
});

describe('evidence: a KVM stage-2 dump or a stage-2 table image covering the IPA', () => {
  // arch/arm64/kvm/ptdump.c: a range without valid entries prints no attribute columns (see ptdump.test.ts).
  const dump = parsePtdump(['---[ Guest IPA ]---', '0x0000008000000000-0x0000008000001000           4K 3   R W PXNUXN AF', '0x0000008000001000-0x0000008000002000           4K 3'].join('\n'));

  it('no valid entry in the dump: the mapping is recorded and the record consistent', () => {
    const r = replayRecord(guestFault(0x92000047n, 0x8000001000n), GPU, { stage2Ptdump: dump });
    expect(byName(r)['IPA mapped at stage 2']).toMatchObject({ value: 'no (invalid descriptor at level 3)', basis: 'recorded', source: 'KVM stage-2 page-table dump, line 3' });
    expect(r?.verdict).toEqual({ verdict: 'consistent' });
  });

  it('a valid entry with AF in the dump: a translation fault there contradicts it', () => {
    const r = replayRecord(guestFault(0x92000047n, 0x8000000000n), GPU, { stage2Ptdump: dump });
    expect(r?.verdict.verdict).toBe('inconsistent');
    if (r?.verdict.verdict === 'inconsistent') expect(r.verdict.differences.map((d) => d.field)).toEqual(['outcome']);
  });

  // VTCR_EL2 T0SZ 24 (40-bit IPA), SL0 1 (start level 1, two concatenated 4 KB tables at VTTBR 0x100000), PS 2.
  // IPA 0x8000001000: L1 index IPA[39:30] = 0x200 -> 0x100000 + 0x200 * 8 = 0x101000 -> table 0x102000;
  // L2 index IPA[29:21] = 0 -> 0x102000 -> table 0x103000; L3 index IPA[20:12] = 1 -> 0x103008.
  // Leaf 0x2000007ff: page + valid (0b11), MemAttr 0b1111, S2AP 0b11, SH 0b11, AF (bit 10); 0x3ff: AF clear.
  const walk = (l3: bigint | null): Stage2Walk => ({
    kind: 'walk',
    t0sz: 24,
    sl0: 1,
    tg0: '4K',
    ps: 2,
    vttbr: 0x100000n,
    tables: new Map<bigint, bigint>([
      [0x101000n, 0x102003n],
      [0x102000n, 0x103003n],
      ...(l3 === null ? [] : ([[0x103008n, l3]] as [bigint, bigint][])),
    ]),
  });

  it('reads the entry from the table image: missing, AF = 0, or valid', () => {
    const at = (esr: bigint, l3: bigint | null) => replayRecord(guestFault(esr, 0x8000001000n), GPU, { stage2Tables: walk(l3) });
    expect(at(0x92000047n, 0n)?.verdict).toEqual({ verdict: 'consistent' });
    expect(byName(at(0x92000047n, 0n))['IPA mapped at stage 2']).toMatchObject({ value: 'no (invalid descriptor at level 3)', basis: 'recorded' });
    expect(at(0x9200004bn, 0x3ffn)?.verdict).toEqual({ verdict: 'consistent' });
    expect(at(0x92000047n, 0x2000007ffn)?.verdict.verdict).toBe('inconsistent');
    // The level-3 table is not in the image: it does not cover the IPA.
    expect(byName(at(0x92000047n, null))['IPA mapped at stage 2']?.basis).toBe('unknown');
  });
});

describe('an abort a kernel took itself (ESR_EL1) replays at stage 1 only', () => {
  it('a NULL dereference (0x96000007 at 0x38: EC 0x25, WnR 0, level-3 translation): no KVM, the VA mapping is missing', () => {
    // ../shared/samples/logs/010: "ESR = 0x96000007", NULL dereference at VA 0x38 in the host kernel.
    const r = replayRecord(oops(0x96000007n, 0x38n), EMPTY_CONTEXT);
    expect(r?.inputs.inputs.map((i) => i.name)).toEqual(['access', 'address', 'EL', 'stage-1 mapping', 'VA mapped at stage 1']);
    expect(byName(r)['EL']).toMatchObject({ value: 'EL1', basis: 'recorded' });
    expect(r?.inputs.scenario.stage2).toBeNull();
    const v = choices(r);
    expect(v.missing).toEqual(['VA mapped at stage 1']);
    expect(v.choices[0]?.change).toBe('VA not mapped at stage 1 (no valid descriptor), level 3');
    expect(v.choices[0]?.outcome.fault).toMatchObject({ stage: 1, takenTo: 'EL1', esr: 0x96000007n });
    expect(v.choices[0]?.outcome.kvm).toBeNull();
  });

  it('a user-space write (0x92000047 in ESR_EL1: EC 0x24 = from EL0) replays at EL0', () => {
    // ../shared/samples/logs/024: user write fault at 0xffff6dff0000, DFSC level-3 translation.
    const r = replayRecord(oops(0x92000047n, 0xffff6dff0000n), EMPTY_CONTEXT);
    expect(byName(r)['EL']).toMatchObject({ value: 'EL0', basis: 'recorded' });
    expect(choices(r).choices[0]?.outcome.fault).toMatchObject({ stage: 1, esr: 0x92000047n });
  });

  it('a kernel page-table dump covering the VA settles it; a PGD range takes its level from the page size and VA bits', () => {
    const dump = parsePtdump(['---[ vmalloc() area ]---', '0xffff800008010000-0xffff800010000000        8188K PTE', '0xffff800010000000-0xffff808000000000         511G PGD'].join('\n'));
    expect(replayRecord(oops(0x96000007n, 0xffff800008020000n), EMPTY_CONTEXT, { guestPtdump: dump })?.verdict).toEqual({ verdict: 'consistent' });
    // 4 KB pages, 48-bit VAs: the walk starts at level 0 (ASL AArch64.S1StartLevel: 3 - (47 - 12) div 9).
    const ctx48: BundleContext = { ...EMPTY_CONTEXT, pageSizeKiB: 4, vaBits: 48 };
    expect(replayRecord(oops(0x96000004n, 0xffff800020000000n), ctx48, { guestPtdump: dump })?.verdict).toEqual({ verdict: 'consistent' });
    // 39-bit VAs start at level 1; without the page size the PGD level is unknown.
    const ctx39: BundleContext = { ...EMPTY_CONTEXT, pageSizeKiB: 4, vaBits: 39 };
    expect(byName(replayRecord(oops(0x96000004n, 0xffff800020000000n), ctx39, { guestPtdump: dump }))['VA mapped at stage 1']?.value).toBe('no (invalid descriptor at level 1)');
    expect(byName(replayRecord(oops(0x96000004n, 0xffff800020000000n), EMPTY_CONTEXT, { guestPtdump: dump }))['VA mapped at stage 1']?.basis).toBe('unknown');
  });

  it('an unaligned atomic in the kernel (0x96000021, ../shared/samples/logs/008): an exclusive access or a Device mapping', () => {
    // The log's pc is __ll_sc_arch_atomic_sub_return at FAR ...e436: LDXR needs its size alignment whatever the
    // memory type (ASL AArch64.UnalignedAccessFaults), and any unaligned access faults on Device memory.
    const v = choices(replayRecord(oops(0x96000021n, 0xffff001f11e1e436n), EMPTY_CONTEXT));
    expect(v.missing).toEqual(['access', 'stage-1 mapping']);
    const fits = v.choices.filter((c) => c.reproduces).map((c) => c.change);
    expect(fits).toEqual(['exclusive_load of 8 bytes', 'atomic_rmw of 8 bytes', 'mapping MAIR 0x04']);
  });

  it('stage-1 permission faults: a write to a read-only mapping (0x9600004f), a fetch from a PXN one (0x8600000f)', () => {
    expect(choices(replayRecord(oops(0x9600004fn, 0xffff800010000000n), EMPTY_CONTEXT)).choices[0]).toMatchObject({ change: 'read-only mapping (AP[2] = 1)', reproduces: true });
    const fetch = choices(replayRecord(oops(0x8600000fn, 0xffff800010000000n), EMPTY_CONTEXT)).choices[0];
    expect(fetch).toMatchObject({ change: 'mapping not executable at EL1 (PXN)', reproduces: true });
    expect(fetch?.outcome.fault).toMatchObject({ stage: 1, ec: 0x21, esr: 0x8600000fn });
  });
});
