// mmu:combine through the real dispatch. Expected values: DOMAIN.md §3 worked examples (ASL
// S2CombineS1MemAttrs, AArch64.S2ApplyFWBMemAttrs): guest ioremap_wc MAIR 0x44 (Normal-NC) over KVM < 6.9's
// VFIO BAR mapping MemAttr 0b0001 (Device-nGnRE) gives Device-nGnRE, unaligned access faults at stage 2;
// over 6.9's 0b0101 (Normal-NC) gives Normal-NC and no fault; FWB 0b0110 under guest Device-nGnRE (0x04)
// gives Normal WB, and the alignment fault is stage 1's.
import { describe, expect, it } from 'vitest';
import type { CombineView, WhatIfView } from '../../../preload/contract';
import { S2_REGIONS, WHAT_IF_ACCESS_KINDS } from '../../../preload/contract-ui';
import { dispatch } from '../../../main/api/dispatch';
import { ACCESS_KINDS } from '../../../main/core/mmu/access';
import { KVM_S2_POLICY } from '../../../main/core/mmu/kvm-policy';
import { testContext } from '../../helpers/app';

describe('mmu:combine', () => {
  const ctx = testContext();
  const combine = async (s1Attr: number, s2MemAttr: number, fwb: boolean): Promise<CombineView> => {
    const r = await dispatch(ctx, 'mmu:combine', { s1Attr, s2MemAttr, fwb });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as CombineView;
  };

  it('marks the 2022 case: Normal-NC over Device-nGnRE is Device-nGnRE, faulting at stage 2', async () => {
    const v = await combine(0x44, 0b0001, false);
    expect([v.s1.attrs?.node, v.s2.attrs?.node, v.result?.node]).toEqual(['Normal-NC', 'Device-nGnRE', 'Device-nGnRE']);
    expect(v.s1.attrs).toMatchObject({ inner: 'NC', outer: 'NC' });
    expect(v.rule.id).toBe('s2-device');
    expect([v.unalignedAccessFaults, v.alignmentFaultStage]).toEqual([true, 2]);
    expect([v.s1.encoding, v.s2.encoding]).toEqual(['0x44', '0b0001']);
  });

  it('marks the 6.9 case: Normal-NC over Normal-NC, no alignment fault', async () => {
    const v = await combine(0x44, 0b0101, false);
    expect([v.s1.attrs?.node, v.s2.attrs?.node, v.result?.node]).toEqual(['Normal-NC', 'Normal-NC', 'Normal-NC']);
    expect([v.unalignedAccessFaults, v.alignmentFaultStage]).toEqual([false, null]);
  });

  it('shows the FWB path: forced WB under a Device stage 1, stage 1 reports the alignment fault', async () => {
    const v = await combine(0x04, 0b0110, true);
    expect(v.fwb).toBe(true);
    expect(v.s2.attrs).toBeNull();
    expect([v.s2.fwbNode, v.result?.node, v.rule.asl]).toEqual(['Normal-WB', 'Normal-WB', 'AArch64.S2ApplyFWBMemAttrs']);
    expect(v.alignmentFaultStage).toBe(1);
  });

  it('names the type of every FWB MemAttr[2:0] row on its own (AArch64.S2ApplyFWBMemAttrs)', async () => {
    const nodes = [];
    for (let a = 0; a < 8; a++) nodes.push((await combine(0xff, a, true)).s2.fwbNode);
    expect(nodes).toEqual(['Device-nGnRnE', 'Device-nGnRE', 'Device-nGRE', 'Device-GRE', 'Normal-NC', 'Normal-NC', 'Normal-WB', null]);
    expect((await combine(0xff, 7, true)).s2.fwbMeaning).toBe('stage 1 unchanged');
  });

  it('gives the lattice marks of the model with the view', async () => {
    const v = await combine(0x44, 0b0001, false);
    expect(v.marks).toMatchObject({ s1: 'Normal-NC', s2: 'Device-nGnRE', result: 'Device-nGnRE', fwb: false });
    expect(v.marks.cache.s1).toEqual({ inner: 'NC', outer: 'NC' });
  });

  it('refuses out-of-range encodings', async () => {
    expect(await dispatch(ctx, 'mmu:combine', { s1Attr: 256, s2MemAttr: 1, fwb: false })).toMatchObject({ ok: false });
    expect(await dispatch(ctx, 'mmu:combine', { s1Attr: 0x44, s2MemAttr: 16, fwb: false })).toMatchObject({ ok: false });
  });
});

// DOMAIN.md §3 "Replay recipe" worked examples: guest ioremap_wc (MAIR 0x44), STR X to BAR+0x1001.
describe('replay:what-if', () => {
  const ctx = testContext();
  const base = {
    kernel: '6.1.0-18-arm64',
    fwb: false,
    stage2: { region: 'vfio-pci-bar' as const },
    s1Attr: 0x44,
    access: { kind: 'store' as const, size: 8, offset: 0x001 },
  };
  const whatIf = async (over: Record<string, unknown>): Promise<WhatIfView> => {
    const r = await dispatch(ctx, 'replay:what-if', { ...base, ...over });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as WhatIfView;
  };

  it('before 6.9: stage 2 Device-nGnRE, stage-2 alignment fault, ESR_EL2 0x92000061, Unsupported FSC', async () => {
    const v = await whatIf({});
    expect(v.stage2.memattr).toBe('0b0001');
    expect(v.combine.marks).toMatchObject({ s1: 'Normal-NC', s2: 'Device-nGnRE', result: 'Device-nGnRE' });
    expect(v.outcome.outcome).toBe('fault');
    expect(v.outcome.fault).toMatchObject({ stage: 2, type: 'alignment', esr: '0x92000061', taken_to: 'EL2' });
    expect(v.outcome.kvm?.path).toBe('unsupported_fsc');
    expect(v.outcome.kvm?.log).toBe('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
  });

  it('kernel 6.9: stage 2 Normal-NC (VM_ALLOW_ANY_UNCACHED), result Normal-NC, the store completes', async () => {
    const v = await whatIf({ kernel: '6.9' });
    expect(v.stage2.memattr).toBe('0b0101');
    expect(v.stage2.since).toBe('6.9');
    expect(v.combine.marks).toMatchObject({ s1: 'Normal-NC', s2: 'Normal-NC', result: 'Normal-NC' });
    expect([v.outcome.outcome, v.outcome.fault]).toEqual(['ok', null]);
  });

  it('FWB does not change the < 6.9 outcome (FWB 0b0001 is Device-nGnRE too)', async () => {
    const v = await whatIf({ fwb: true });
    expect(v.combine.marks).toMatchObject({ s2: 'Device-nGnRE', result: 'Device-nGnRE', fwb: true });
    expect(v.outcome.fault?.esr).toBe('0x92000061');
  });

  it('a pair aligned to its element does not fault even on Device memory', async () => {
    const v = await whatIf({ access: { kind: 'load_pair', size: 16, offset: 0x008 } });
    expect(v.outcome.outcome).toBe('ok');
  });

  it('guest ioremap (Device-nGnRE) over 6.9: the stage-1 alignment fault goes to the guest, ESR_EL1 0x96000021', async () => {
    const v = await whatIf({ kernel: '6.9', s1Attr: 0x04, access: { kind: 'load', size: 4, offset: 0x001 } });
    expect(v.outcome.fault).toMatchObject({ stage: 1, taken_to: 'EL1', esr: '0x96000021' });
    expect(v.outcome.kvm).toBeNull();
  });

  it('takes an explicit MemAttr and a recorded page, and refuses a kernel it cannot read', async () => {
    const v = await whatIf({ stage2: { memattr: 0b1111 }, access: { kind: 'store', size: 8, offset: 1, page: '0x8000001000' } });
    expect(v.stage2.source).toBe('given');
    expect(v.va).toBe('0x8000001001');
    expect(v.combine.marks.result).toBe('Normal-NC');
    expect(await dispatch(ctx, 'replay:what-if', { ...base, kernel: 'banana' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('offers exactly the model\'s access kinds and regions', () => {
    expect([...WHAT_IF_ACCESS_KINDS]).toEqual([...ACCESS_KINDS]);
    expect([...S2_REGIONS].sort()).toEqual([...new Set(KVM_S2_POLICY.map((r) => r.region))].sort());
  });
});
