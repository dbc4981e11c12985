// mmu:combine through the real dispatch. Expected values: DOMAIN.md §3 worked examples (ASL
// S2CombineS1MemAttrs, AArch64.S2ApplyFWBMemAttrs): guest ioremap_wc MAIR 0x44 (Normal-NC) over KVM < 6.9's
// VFIO BAR mapping MemAttr 0b0001 (Device-nGnRE) gives Device-nGnRE, unaligned access faults at stage 2;
// over 6.9's 0b0101 (Normal-NC) gives Normal-NC and no fault; FWB 0b0110 under guest Device-nGnRE (0x04)
// gives Normal WB, and the alignment fault is stage 1's.
import { describe, expect, it } from 'vitest';
import type { CombineView } from '../../../preload/contract';
import { dispatch } from '../../../main/api/dispatch';
import { fwbMeaning } from '../../../main/api/handlers/mmu';
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

  it('names every FWB MemAttr[2:0] row', () => {
    expect([0, 1, 2, 3].map((a) => fwbMeaning(a).node)).toEqual(['Device-nGnRnE', 'Device-nGnRE', 'Device-nGRE', 'Device-GRE']);
    expect([4, 5, 6, 7].map((a) => fwbMeaning(a).node)).toEqual(['Normal-NC', 'Normal-NC', 'Normal-WB', null]);
  });

  it('refuses out-of-range encodings', async () => {
    expect(await dispatch(ctx, 'mmu:combine', { s1Attr: 256, s2MemAttr: 1, fwb: false })).toMatchObject({ ok: false });
    expect(await dispatch(ctx, 'mmu:combine', { s1Attr: 0x44, s2MemAttr: 16, fwb: false })).toMatchObject({ ok: false });
  });
});
