// Attrs-mode replay: every access kind, the alignment rules, permission and access-flag faults, the system
// register controls, and the choice points. Expected ESRs are worked by hand from the Arm ARM ESR_ELx layout:
// ESR = EC << 26 | IL << 25 | ISS, data-abort ISS = CM[8] S1PTW[7] WnR[6] DFSC[5:0], IL = 1, ISV = 0.
//   EC 0x24 (DABT lower EL) -> 0x92000000, EC 0x25 (DABT same EL) -> 0x96000000,
//   EC 0x20 (IABT lower EL) -> 0x82000000, EC 0x21 (IABT same EL) -> 0x86000000.
import { describe, expect, it } from 'vitest';
import { replayAccess, type ReplayOutcome } from '../../../main/core/mmu/replay';
import { parseScenario } from '../../../main/core/mmu/scenario-parse';

interface Opts {
  s1?: Record<string, unknown> | null;
  s2?: Record<string, unknown> | null;
  access: Record<string, unknown>;
  sctlr?: Record<string, unknown>;
  hcr?: Record<string, unknown>;
  cpu?: Record<string, unknown>;
  kvm?: Record<string, unknown>;
}

function run(o: Opts): ReplayOutcome {
  const s = parseScenario({
    mode: 'attrs',
    cpu: o.cpu ?? {},
    sctlr_el1: o.sctlr ?? {},
    hcr_el2: { VM: o.s2 === null ? 0 : 1, ...o.hcr },
    stage1: o.s1 === undefined ? { mair_attr: '0xff' } : o.s1,
    stage2: o.s2 === undefined ? { memattr: '0b1111' } : o.s2,
    access: { el: 1, ...o.access },
    ...(o.kvm ? { kvm: o.kvm } : {}),
  });
  if (!s.ok) throw new Error(s.error);
  return replayAccess(s.value);
}

const esr = (o: ReplayOutcome): string | null => (o.fault ? '0x' + o.fault.esr.toString(16) : null);
const GUEST_WC = { mair_attr: '0x44' }; // ioremap_wc / pgprot_writecombine: Normal-NC
const GUEST_IO = { mair_attr: '0x04' }; // ioremap: Device-nGnRE
const S2_DEVICE = { memattr: '0b0001' }; // KVM < 6.9 VFIO BAR
const S2_NC = { memattr: '0b0101' }; // KVM >= 6.9 VFIO BAR (VM_ALLOW_ANY_UNCACHED)

describe('the seed case (DOMAIN.md §1)', () => {
  it('an unaligned 8-byte store to a Normal-NC guest mapping of a stage-2 Device BAR is a stage-2 alignment fault', () => {
    // EC 0x24, IL 1, WnR 1, DFSC 0x21 -> 0x90000000 | 0x02000000 | 0x40 | 0x21 = 0x92000061
    const o = run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'store', va: '0x10001001', size: 8 }, kvm: { kernel: '6.1.0-18-arm64' } });
    expect(o.outcome).toBe('fault');
    expect(o.fault).toMatchObject({ stage: 2, takenTo: 'EL2', type: 'alignment', dfsc: 0x21, ec: 0x24, wnr: 1, s1ptw: false, cm: 0, level: null });
    expect(esr(o)).toBe('0x92000061');
    // HPFAR_EL2 is not valid for a stage-2 alignment fault (ASL IPAValid); the model still knows the IPA.
    expect(o.fault?.hpfar).toBeNull();
    expect(o.fault?.ipa).toBe(0x10001001n);
    expect(o.kvm).toMatchObject({ path: 'unsupported_fsc', log: 'Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061' });
    expect(o.kvm?.result).toMatch(/-EFAULT/);
  });

  it('the same with FWB (MemAttr 0b0001 is Device with FWB too)', () => {
    expect(esr(run({ s1: GUEST_WC, s2: S2_DEVICE, hcr: { FWB: 1 }, access: { kind: 'store', va: '0x10001001', size: 8 } }))).toBe('0x92000061');
  });

  it('completes with stage 2 Normal-NC (KVM >= 6.9): Normal NC/NC, Outer Shareable', () => {
    const o = run({ s1: GUEST_WC, s2: S2_NC, access: { kind: 'store', va: '0x10001001', size: 8 } });
    expect(o.outcome).toBe('ok');
    expect(o.pa).toBe(0x10001001n);
    expect(o.memattrs).toMatchObject({ memtype: 'Normal', inner: { attrs: 'NC' }, outer: { attrs: 'NC' }, shareability: 'OSH' });
  });

  it('a guest Device mapping faults at stage 1 instead, delivered to the guest (KVM never sees it)', () => {
    // Unaligned LDR W at EL1: EC 0x25 -> 0x96000000 | 0x21 = 0x96000021 (DOMAIN.md worked example)
    const o = run({ s1: GUEST_IO, s2: S2_NC, access: { kind: 'load', va: '0x10001002', size: 4 }, kvm: { kernel: '6.1' } });
    expect(o.fault).toMatchObject({ stage: 1, takenTo: 'EL1', type: 'alignment' });
    expect(esr(o)).toBe('0x96000021');
    expect(o.kvm).toBeNull();
  });

  it('from EL0 the stage-1 fault has EC 0x24 (data abort from a lower EL) in ESR_EL1', () => {
    expect(run({ s1: GUEST_IO, s2: S2_NC, access: { kind: 'store', va: '0x1003', size: 4, el: 0 } }).fault).toMatchObject({ stage: 1, ec: 0x24, wnr: 1 });
  });
});

describe('alignment unit by access kind (Mem[]; DOMAIN.md §3d worked examples)', () => {
  const at8 = '0x10001008'; // 8-aligned, not 16-aligned
  it('LDP X0, X1 at an 8-aligned address: pairs are checked per element, no fault on Device', () => {
    const o = run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'load_pair', va: at8, size: 16 } });
    expect(o.outcome).toBe('ok');
    expect(o.memattrs).toMatchObject({ memtype: 'Device', device: 'nGnRE', shareability: 'OSH' });
  });

  it('LDR Q0 at the same address faults (16-byte unit): WnR 0 -> 0x92000021', () => {
    expect(esr(run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'simd_load', va: at8, size: 16 } }))).toBe('0x92000021');
  });

  it('ST1 {v0.16b} is checked per byte element: never faults', () => {
    expect(run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'simd_store', va: '0x10001003', size: 16, element_size: 1 } }).outcome).toBe('ok');
  });

  it('STP W0, W1 at a 4-aligned address is fine, at an odd address faults', () => {
    expect(run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'store_pair', va: '0x1004', size: 8 } }).outcome).toBe('ok');
    expect(esr(run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'store_pair', va: '0x1005', size: 8 } }))).toBe('0x92000061');
  });

  it('unaligned loads and stores to Normal memory never fault (SCTLR.A = 0)', () => {
    for (const kind of ['load', 'store', 'load_pair', 'store_pair', 'simd_load', 'simd_store']) {
      expect(run({ s1: GUEST_WC, s2: S2_NC, access: { kind, va: '0x1001', size: 16 } }).outcome).toBe('ok');
    }
  });

  it('SCTLR_EL1.A = 1 makes every unaligned access fault before translation, at stage 1', () => {
    expect(esr(run({ s1: GUEST_WC, s2: S2_NC, sctlr: { A: 1 }, access: { kind: 'load', va: '0x1001', size: 2 } }))).toBe('0x96000021');
  });

  it('DC ZVA faults on Device memory even when aligned: at stage 2 (WnR 1, CM 0) or stage 1', () => {
    expect(esr(run({ s1: GUEST_WC, s2: S2_DEVICE, access: { kind: 'dc_zva', va: '0x10001000', size: 64 } }))).toBe('0x92000061');
    expect(esr(run({ s1: GUEST_IO, s2: S2_NC, access: { kind: 'dc_zva', va: '0x10001000', size: 64 } }))).toBe('0x96000061');
    expect(run({ s1: GUEST_WC, s2: S2_NC, access: { kind: 'dc_zva', va: '0x10001000', size: 64 } }).outcome).toBe('ok');
  });

  it('DC CIVAC and instruction fetches are never alignment-checked', () => {
    expect(run({ s1: GUEST_IO, s2: S2_DEVICE, access: { kind: 'dc_civac', va: '0x10001003', size: 64 } }).outcome).toBe('ok');
    expect(run({ s1: { mair_attr: '0xff' }, s2: { memattr: '0b1111' }, access: { kind: 'ifetch', va: '0x1002', size: 4 } }).outcome).toBe('ok');
  });
});

describe('exclusives, atomics, acquire/release (AArch64.UnalignedAccessFaults, AArch64.MemSingle)', () => {
  it('an unaligned exclusive faults before translation without FEAT_LSE2: WnR 0 -> 0x96000021', () => {
    expect(esr(run({ access: { kind: 'exclusive_load', va: '0x1004', size: 8 } }))).toBe('0x96000021');
  });

  it('with FEAT_LSE2 it is allowed within one 16-byte quantity, and faults across one', () => {
    expect(run({ cpu: { feat_lse2: 1 }, access: { kind: 'exclusive_store', va: '0x1004', size: 8 } }).outcome).toBe('ok');
    expect(esr(run({ cpu: { feat_lse2: 1 }, access: { kind: 'exclusive_store', va: '0x100c', size: 8 } }))).toBe('0x96000061');
  });

  it('an allowed unaligned exclusive to memory that is not Normal WB is CONSTRAINED UNPREDICTABLE', () => {
    const o = run({ cpu: { feat_lse2: 1 }, s1: GUEST_WC, s2: S2_NC, access: { kind: 'atomic_rmw', va: '0x1004', size: 8 } });
    expect(o.outcome).toBe('constrained_unpredictable');
    const byChoice = Object.fromEntries((o.branches ?? []).map((b) => [b.choices['misaligned-atomic'], b.outcome]));
    // The fault branch: AlignmentFault(accdesc) at stage 1; an atomic reads and writes, so WnR = !read && write = 0.
    expect(byChoice['fault'] && esr(byChoice['fault'])).toBe('0x96000021');
    expect(byChoice['no-fault']?.outcome).toBe('ok');
  });

  it('an aligned exclusive or atomic to non-WB memory is IMPLEMENTATION DEFINED: supported, or DFSC 0x35', () => {
    const o = run({ s1: { mair_attr: '0xff' }, s2: S2_DEVICE, access: { kind: 'atomic_rmw', va: '0x1000', size: 8 }, kvm: { kernel: '6.12' } });
    expect(o.outcome).toBe('impdef');
    const fault = (o.branches ?? []).find((b) => b.choices['atomic-non-wb'] === 'fault-0x35')?.outcome.fault;
    // Stage 1 is WB, so the stage-2 attributes are the unsupported ones: EC 0x24, DFSC 0x35, WnR UNKNOWN.
    expect(fault).toMatchObject({ stage: 2, dfsc: 0x35, wnr: null, esr: 0x92000035n });
    expect((o.branches ?? []).find((b) => b.choices['atomic-non-wb'] === 'supported')?.outcome.outcome).toBe('ok');
  });

  it('load-acquire: with FEAT_LSE2, SCTLR.nAA = 1 lifts the 16-byte rule', () => {
    const across = { kind: 'load_acquire', va: '0x100c', size: 8 };
    expect(esr(run({ cpu: { feat_lse2: 1 }, access: across }))).toBe('0x96000021');
    expect(run({ cpu: { feat_lse2: 1 }, sctlr: { nAA: 1 }, access: across }).outcome).toBe('ok');
    expect(esr(run({ access: { kind: 'store_release', va: '0x1004', size: 8 } }))).toBe('0x96000061');
  });
});

describe('permissions and access flags', () => {
  it('a store to a read-only stage-1 page at EL1: permission fault level 3, WnR 1 -> 0x9600004f', () => {
    const o = run({ s1: { mair_attr: '0xff', ap: '0b10' }, access: { kind: 'store', va: '0x2000', size: 8 } });
    expect(o.fault).toMatchObject({ stage: 1, type: 'permission', level: 3 });
    expect(esr(o)).toBe('0x9600004f');
  });

  it('an EL0 load from a privileged-only page: ESR_EL1 0x9200000f (lower EL)', () => {
    expect(esr(run({ s1: { mair_attr: '0xff', ap: '0b00' }, access: { kind: 'load', va: '0x2000', size: 8, el: 0 } }))).toBe('0x9200000f');
  });

  it('an atomic reports WnR by the permission that failed: write-only failing -> 1, read failing -> 0', () => {
    expect(esr(run({ s2: { memattr: '0b1111', s2ap: '0b01' }, access: { kind: 'atomic_rmw', va: '0x2000', size: 8 } }))).toBe('0x9200004f');
    expect(esr(run({ s2: { memattr: '0b1111', s2ap: '0b00' }, access: { kind: 'atomic_rmw', va: '0x2000', size: 8 } }))).toBe('0x9200000f');
  });

  it('stage-2 permission faults leave HPFAR_EL2 invalid (ASL IPAValid); access-flag faults set it', () => {
    expect(run({ s2: { memattr: '0b1111', s2ap: '0b01' }, access: { kind: 'store', va: '0x2000', size: 8 } }).fault?.hpfar).toBeNull();
    // AF = 0 at level 2, IPA 0x40201000: DFSC 0b001010 = 0x0a; HPFAR = IPA[47:12] << 4 = 0x402010.
    const o = run({ s2: { memattr: '0b1111', af: 0, level: 2 }, access: { kind: 'load', va: '0x40201000', size: 8 } });
    expect(esr(o)).toBe('0x9200000a');
    expect(o.fault?.hpfar).toBe(0x402010n);
  });

  it('a stage-1 access flag fault at level 1: DFSC 0x09', () => {
    expect(esr(run({ s1: { mair_attr: '0xff', af: 0, level: 1 }, access: { kind: 'load', va: '0x2000', size: 8 } }))).toBe('0x96000009');
  });

  it('an access flag fault on DC CIVAC is IMPLEMENTATION DEFINED; its fault has CM = 1 and WnR = 1', () => {
    const o = run({ s2: { memattr: '0b1111', af: 0 }, access: { kind: 'dc_civac', va: '0x2000', size: 64 } });
    expect(o.outcome).toBe('impdef');
    const f = (o.branches ?? []).find((b) => b.choices['af-on-dc'] === 'fault')?.outcome;
    // ISS = CM 0x100 | WnR 0x40 | DFSC 0x0b -> 0x9200014b
    expect(f && esr(f)).toBe('0x9200014b');
  });

  it('instruction fetch: PXN at EL1 -> IABT same EL 0x8600000f; stage-2 XN 0b10 -> IABT lower EL 0x8200000f', () => {
    expect(esr(run({ s1: { mair_attr: '0xff', pxn: 1 }, access: { kind: 'ifetch', va: '0x3000', size: 4 } }))).toBe('0x8600000f');
    expect(esr(run({ s2: { memattr: '0b1111', xn: '0b10' }, access: { kind: 'ifetch', va: '0x3000', size: 4 } }))).toBe('0x8200000f');
    // XN 0b01 (FEAT_XNX): executable at EL0 only.
    expect(run({ s2: { memattr: '0b1111', xn: '0b01' }, access: { kind: 'ifetch', va: '0x3000', size: 4, el: 0 } }).outcome).toBe('ok');
  });

  it('instruction fetch from Device memory is CONSTRAINED UNPREDICTABLE', () => {
    expect(run({ s1: GUEST_IO, access: { kind: 'ifetch', va: '0x3000', size: 4 } }).outcome).toBe('constrained_unpredictable');
  });
});

describe('system register controls', () => {
  it('SCTLR_EL1.M = 0: data accesses are Device-nGnRnE, so unaligned ones fault at stage 1', () => {
    expect(esr(run({ sctlr: { M: 0 }, access: { kind: 'load', va: '0x1001', size: 4 } }))).toBe('0x96000021');
  });

  it('HCR_EL2.DC = 1: stage 1 off as Normal WB non-shareable, combined with stage 2', () => {
    const o = run({ hcr: { DC: 1 }, s2: { memattr: '0b1111', sh: 'NSH' }, access: { kind: 'load', va: '0x1001', size: 4 } });
    expect(o.memattrs).toMatchObject({ memtype: 'Normal', inner: { attrs: 'WB' }, shareability: 'NSH' });
  });

  it('SCTLR_EL1.C = 0 makes stage-1 Normal memory Non-cacheable; HCR_EL2.CD = 1 does it at stage 2', () => {
    expect(run({ sctlr: { C: 0 }, access: { kind: 'load', va: '0x1000', size: 8 } }).memattrs).toMatchObject({ inner: { attrs: 'NC' }, outer: { attrs: 'NC' }, shareability: 'OSH' });
    expect(run({ hcr: { CD: 1 }, access: { kind: 'load', va: '0x1000', size: 8 } }).memattrs).toMatchObject({ inner: { attrs: 'NC' }, outer: { attrs: 'NC' } });
  });

  it('without stage 2 the stage-1 result is the output, with effective shareability', () => {
    const o = run({ s1: { mair_attr: '0x04' }, s2: null, access: { kind: 'load', va: '0x1000', size: 8 } });
    expect(o.memattrs).toMatchObject({ memtype: 'Device', device: 'nGnRE', shareability: 'OSH' });
    expect(o.pa).toBe(0x1000n);
  });

  it('a reserved stage-2 MemAttr under a WB stage 1 is CONSTRAINED UNPREDICTABLE with one branch per choice', () => {
    const o = run({ s2: { memattr: '0b1100' }, access: { kind: 'load', va: '0x1000', size: 8 } });
    expect(o.outcome).toBe('constrained_unpredictable');
    expect((o.branches ?? []).length).toBe(3);
  });

  // ASL AArch64.S1Walk / S2Walk: an invalid descriptor ends the walk with a translation fault at its level, before
  // the access flag and every later check; stage 2 reports the IPA (HPFAR_EL2 = IPA[47:12] at [43:4]).
  it('"valid": false is a missing entry: a translation fault at the given level, at stage 1 or stage 2', () => {
    // Stage 2, a store at IPA 0x9000000, level 3: 0x92000000 | WnR 0x40 | DFSC 0x07 = 0x92000047.
    const s2 = run({ s2: { valid: false, level: 3, af: false, memattr: '0b0001' }, access: { kind: 'store', va: '0x9000000', size: 4 } });
    expect(s2.fault).toMatchObject({ stage: 2, type: 'translation', level: 3, esr: 0x92000047n, hpfar: 0x90000n });
    // Stage 1, a load at EL1, level 1: 0x96000000 | DFSC 0x05 = 0x96000005; stage 2 is never reached.
    const s1 = run({ s1: { valid: false, level: 1 }, s2: { valid: false }, access: { kind: 'load', va: '0x70', size: 8 } });
    expect(esr(s1)).toBe('0x96000005');
  });
});

