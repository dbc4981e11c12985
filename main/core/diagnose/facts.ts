// The facts diagnosis rules look at: the record, its ESR decoded (main/core/esr), the bundle context, and the
// replay result. Computed once per record so that every rule reads the same values.
import { decodeEsr, type EsrDecode } from '../esr/index';
import { bits } from '../hex';
import type { BundleContext, FaultRecord } from '../ingest/fault-record';
import { kernelAtLeast } from '../kernel-version';
import { isStage2Record } from '../mmu/replay-inputs';
import type { RecordReplay } from '../mmu/replay-record';

export interface DiagnosisFacts {
  readonly record: FaultRecord;
  readonly context: BundleContext;
  readonly decode: EsrDecode | null;
  readonly ec: number | null;
  /** DFSC/IFSC for aborts. */
  readonly fsc: number | null;
  readonly isv: boolean;
  readonly s1ptw: boolean;
  readonly wnr: boolean;
  readonly cm: boolean;
  /** The ESR is ESR_EL2 of a guest exit (KVM saw it). */
  readonly stage2: boolean;
  readonly kernel: string | null;
  /** The kernel reaches a release; null when unknown. */
  readonly kernelAtLeast: (version: string) => boolean | null;
  readonly replay: RecordReplay | null;
  readonly hasVfioDevice: boolean;
  /** SMMUv3 event id (`event 0x10 received`) or null. */
  readonly smmuEvent: number | null;
  /** SMMUv2 context fault FSR value (`fsr=0x402`) or null. */
  readonly smmuFsr: number | null;
}

// Ingest may carry these in `extra`; the record text is the fallback.
//   arm-smmu-v3 arm-smmu-v3.2.auto: event 0x10 received:
//   arm-smmu 5040000.iommu: Unhandled context fault: fsr=0x402, iova=0x7ffe35c0, fsynr=0x1, cb=1
const SMMU_EVENT_RE = /event 0x([0-9a-fA-F]{1,2}) received/;
const SMMU_FSR_RE = /context fault: fsr=0x([0-9a-fA-F]+)/;

function hexFrom(re: RegExp, text: string): number | null {
  const m = re.exec(text);
  return m ? parseInt(m[1] as string, 16) : null;
}

export function collectFacts(record: FaultRecord, context: BundleContext, replay: RecordReplay | null): DiagnosisFacts {
  const stage2 = isStage2Record(record);
  const kernel = record.kernel ?? context.kernels[0] ?? null;
  const esr = record.esr;
  const decode = esr === null ? null : decodeEsr(esr, { ...(record.el ? { el: record.el } : stage2 ? { el: 2 } : {}), ...(kernel ? { kernel } : {}) });
  const ec = esr === null ? null : bits(esr, 31, 26);
  const abort = ec !== null && [0x20, 0x21, 0x24, 0x25].includes(ec);
  const extraEvent = record.extra['event_id'];
  return {
    record,
    context,
    decode,
    ec,
    fsc: abort && esr !== null ? bits(esr, 5, 0) : null,
    isv: abort && esr !== null && bits(esr, 24, 24) === 1,
    s1ptw: abort && esr !== null && bits(esr, 7, 7) === 1,
    wnr: abort && esr !== null && bits(esr, 6, 6) === 1,
    cm: abort && esr !== null && bits(esr, 8, 8) === 1,
    stage2,
    kernel,
    kernelAtLeast: (v) => (kernel ? kernelAtLeast(kernel, v) : null),
    replay,
    hasVfioDevice: context.pciDevices.some((d) => d.driver === 'vfio-pci'),
    smmuEvent: typeof extraEvent === 'number' ? extraEvent : hexFrom(SMMU_EVENT_RE, record.text),
    smmuFsr: hexFrom(SMMU_FSR_RE, record.text),
  };
}
