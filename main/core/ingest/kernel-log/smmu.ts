// SMMUv3 event records, as the driver dumps them raw (four 64-bit dwords). Field positions: Arm IHI 0070
// (SMMU architecture v3) §7.3 "Event records"; the same masks in Linux
// drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h (EVTQ_0_ID GENMASK(7,0), EVTQ_0_SSV BIT(11), EVTQ_0_SSID
// GENMASK(31,12), EVTQ_0_SID GENMASK(63,32), EVTQ_1_STALL BIT(31), EVTQ_1_PnU BIT(33), EVTQ_1_InD BIT(34),
// EVTQ_1_RnW BIT(35), EVTQ_1_S2 BIT(39), EVTQ_1_CLASS GENMASK(41,40), EVTQ_2_ADDR GENMASK(63,0),
// EVTQ_3_IPA GENMASK(51,12)).
import type { ExtraValue } from './draft';

// Event type names (IHI 0070 §7.3, Table "Event records"; kernel ARM_SMMU_EVT_* / EVT_ID_*).
const EVENT_NAMES: Readonly<Record<number, string>> = {
  0x01: 'F_UUT',
  0x02: 'C_BAD_STREAMID',
  0x03: 'F_STE_FETCH',
  0x04: 'C_BAD_STE',
  0x05: 'F_BAD_ATS_TREQ',
  0x06: 'F_STREAM_DISABLED',
  0x07: 'F_TRANSL_FORBIDDEN',
  0x08: 'C_BAD_SUBSTREAMID',
  0x09: 'F_CD_FETCH',
  0x0a: 'C_BAD_CD',
  0x0b: 'F_WALK_EABT',
  0x10: 'F_TRANSLATION',
  0x11: 'F_ADDR_SIZE',
  0x12: 'F_ACCESS',
  0x13: 'F_PERMISSION',
  0x20: 'F_TLB_CONFLICT',
  0x21: 'F_CFG_CONFLICT',
  0x24: 'E_PAGE_REQUEST',
  0x25: 'F_VMS_FETCH',
};

// Events whose dword2 is the faulting input address and dword3 the IPA (the translation-related faults,
// IHI 0070 §7.3.10-7.3.13).
const ADDRESS_EVENTS: ReadonlySet<number> = new Set([0x10, 0x11, 0x12, 0x13]);
const CLASS_NAMES = ['CD', 'TT', 'IN', 'reserved'] as const;

export interface SmmuEventDecode {
  readonly inputAddress: bigint | null;
  readonly ipa: bigint | null;
  readonly extra: Readonly<Record<string, ExtraValue>>;
}

function bit(v: bigint, n: number): boolean {
  return ((v >> BigInt(n)) & 1n) === 1n;
}

function field(v: bigint, hi: number, lo: number): bigint {
  return (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

export function smmuEventName(id: number): string {
  return EVENT_NAMES[id] ?? 'UNKNOWN';
}

/** Decodes the dwords of one event record (fewer than four when the log was cut). */
export function decodeSmmuEvent(dwords: readonly bigint[]): SmmuEventDecode {
  const [d0, d1, d2, d3] = dwords;
  if (d0 === undefined) return { inputAddress: null, ipa: null, extra: {} };
  const id = Number(field(d0, 7, 0));
  const extra: Record<string, ExtraValue> = {
    event_id: `0x${id.toString(16)}`,
    event_name: smmuEventName(id),
    stream_id: `0x${field(d0, 63, 32).toString(16)}`,
  };
  if (bit(d0, 11)) extra.substream_id = `0x${field(d0, 31, 12).toString(16)}`;
  dwords.forEach((d, i) => (extra[`dword${i}`] = `0x${d.toString(16).padStart(16, '0')}`));
  if (d1 !== undefined && ADDRESS_EVENTS.has(id)) {
    extra.read = bit(d1, 35);
    extra.instruction = bit(d1, 34);
    extra.privileged = !bit(d1, 33);
    extra.stage2 = bit(d1, 39);
    extra.class = CLASS_NAMES[Number(field(d1, 41, 40))]!;
    extra.stall = bit(d1, 31);
  }
  const addressed = ADDRESS_EVENTS.has(id);
  const ipa = addressed && d3 !== undefined ? field(d3, 51, 12) << 12n : null;
  return {
    inputAddress: addressed && d2 !== undefined ? d2 : null,
    ipa: ipa === null || ipa === 0n ? null : ipa,
    extra,
  };
}
