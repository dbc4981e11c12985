// faults:replay and diagnoses:list over a stored record of the 2022 report (DOMAIN.md §1: "kvm [pid]:
// Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061" on a 6.1 host with a GPU on vfio-pci). Expected: the
// replay reproduces ESR_EL2 0x92000061 (stage-2 alignment fault: guest Normal-NC over KVM's Device-nGnRE BAR
// mapping), the kernel comes from the bundle, the guest mapping is assumed, and the diagnosis that names the
// vfio BAR problem (fixed in 6.9) lists the fault.
import { describe, expect, it } from 'vitest';
import type { DiagnosisView, FaultReplayView, WhatIfView } from '../../../preload/contract';
import { dispatch } from '../../../main/api/dispatch';
import { EMPTY_CONTEXT, type FaultRecord } from '../../../main/core/ingest/fault-record';
import { finishBundle, insertBundle, insertFile, setBundleContext } from '../../../main/storage/bundles';
import { insertFaults } from '../../../main/storage/faults';
import { testContext } from '../../helpers/app';

const LINE = 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061';

describe('faults:replay and diagnoses:list', () => {
  const ctx = testContext();
  const bundleId = insertBundle(ctx.db, { name: 'seed', sourcePath: '/tmp/seed', fingerprint: 'seed-fp', createdAt: '2026-01-01T00:00:00Z' });
  setBundleContext(
    ctx.db,
    bundleId,
    JSON.stringify({
      ...EMPTY_CONTEXT,
      kernels: ['6.1.0-18-arm64'],
      pciDevices: [{ bdf: '0000:01:00.0', description: 'GPU', vendorDevice: null, driver: 'vfio-pci', bars: [{ index: 1, address: '0x8000000000', size: '0x800000000', prefetchable: true, is64: true }] }],
    }),
  );
  finishBundle(ctx.db, bundleId, 'complete', '2026-01-01T00:00:01Z');
  const fileId = insertFile(ctx.db, bundleId, 'var/log/kern.log', 'kernel-log', 100);
  const record: FaultRecord = {
    kind: 'kvm_unsupported_fsc',
    esr: 0x92000061n,
    el: 2,
    far: null,
    ipa: null,
    pc: null,
    cpu: null,
    pid: 4242,
    comm: null,
    timeNs: 12_500_000_000n,
    kernel: '6.1.0-18-arm64',
    source: { file: 'var/log/kern.log', line: 7, endLine: 7 },
    text: LINE,
    extra: {},
  };
  const [faultId] = insertFaults(ctx.db, [{ bundleId, fileId, record, count: 1, firstNs: null, lastNs: null }]);

  it('replays the stored record and gives the controls that reproduce it', async () => {
    const r = await dispatch(ctx, 'faults:replay', { faultId });
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as FaultReplayView;
    expect(v.outcome.fault?.esr).toBe('0x92000061');
    expect(v.verdict.verdict).toBe('consistent');
    expect(v.inputs.find((i) => i.name === 'host kernel')).toMatchObject({ value: '6.1.0-18-arm64', basis: 'recorded' });
    expect(v.inputs.find((i) => i.name === 'guest mapping')?.basis).toBe('assumed');
    expect(v.basis).toMatchObject({ kernel: 'recorded', 'guest mapping': 'assumed' });
    expect(v.whatIf).toMatchObject({ kernel: '6.1.0-18-arm64', fwb: false, stage2: { region: 'vfio-pci-bar' }, s1Attr: 0x44 });

    // the what-if of those controls is the same replay; with kernel 6.9 the store completes
    const same = await dispatch(ctx, 'replay:what-if', v.whatIf);
    if (!same.ok) throw new Error(same.error.message);
    expect((same.value as WhatIfView).outcome.fault?.esr).toBe('0x92000061');
    expect((same.value as WhatIfView).combine.marks).toMatchObject({ s1: 'Normal-NC', s2: 'Device-nGnRE', result: 'Device-nGnRE' });
    const fixed = await dispatch(ctx, 'replay:what-if', { ...v.whatIf, kernel: '6.9' });
    if (!fixed.ok) throw new Error(fixed.error.message);
    expect((fixed.value as WhatIfView).outcome.outcome).toBe('ok');
    expect((fixed.value as WhatIfView).combine.marks.result).toBe('Normal-NC');
  });

  it('answers not_found for an unknown fault', async () => {
    expect(await dispatch(ctx, 'faults:replay', { faultId: (faultId ?? 0) + 1000 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('lists the diagnosis that explains the fault, most severe first', async () => {
    const r = await dispatch(ctx, 'diagnoses:list', { bundleId });
    if (!r.ok) throw new Error(r.error.message);
    const list = r.value as DiagnosisView[];
    const vfio = list.find((d) => d.ruleId === 'vfio-bar-s2-device-unaligned');
    expect(vfio?.faultIds).toContain(faultId);
    expect(vfio?.references.some((ref) => ref.text.startsWith('8c47ce3e1d2c'))).toBe(true);
    const order = ['critical', 'error', 'warning', 'info'];
    const ranks = list.map((d) => order.indexOf(d.severity));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(await dispatch(ctx, 'diagnoses:list', { bundleId: bundleId + 99 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
