// Replay inputs for a recorded fault: what the record and the bundle say (recorded / context), and what has to
// be assumed (labelled, with the alternatives the what-if view offers). The ESR fields come from the Arm ARM
// ESR_ELx data/instruction abort ISS layout: ISV [24], SAS [23:22], CM [8], S1PTW [7], WnR [6], xFSC [5:0].
import type { BundleContext, FaultRecord, PciDevice } from '../ingest/fault-record';
import { bits } from '../hex';
import { type AccessKind } from './access';
import { EC_DABT_CUR, EC_DABT_LOW, EC_IABT_CUR, EC_IABT_LOW } from './fault';
import { KVM_S2_POLICY, kvmS2Policy, type S2Region } from './kvm-policy';
import { findPtdumpRange, type Ptdump } from './ptdump';
import { DEFAULT_CPU, DEFAULT_SCTLR, type Scenario, type Stage1Attrs, type Stage2Attrs } from './scenario';

export type InputBasis = 'recorded' | 'context' | 'assumed' | 'unknown';

/** One change to a replay input (the what-if vocabulary). */
export type WhatIf =
  | { readonly kind: 'kernel'; readonly kernel: string }
  | { readonly kind: 'region'; readonly region: S2Region }
  | { readonly kind: 'fwb'; readonly on: boolean }
  | { readonly kind: 's2-memattr'; readonly memattr: number }
  | { readonly kind: 'guest-mair'; readonly attr: number }
  | { readonly kind: 'aligned' }
  | { readonly kind: 'access'; readonly access: AccessKind; readonly size: number };

export interface ReplayInput {
  readonly name: string;
  readonly value: string;
  readonly basis: InputBasis;
  /** Where the value comes from, or why it is assumed. */
  readonly source: string;
  /** Other values worth trying (each a what-if). */
  readonly alternatives: readonly WhatIf[];
}

/** Overrides the service or the user can give; anything absent is derived or assumed. */
export interface ReplayAssumptions {
  readonly kernel?: string;
  readonly region?: S2Region;
  readonly fwb?: boolean;
  readonly guestMair?: number;
  readonly access?: AccessKind;
  readonly size?: number;
  readonly aligned?: boolean;
  readonly el?: 0 | 1;
  readonly inMemslot?: boolean;
  /** The guest's own ptdump (kernel_page_tables from a guest bundle): the real stage-1 mapping of the FAR. */
  readonly guestPtdump?: Ptdump;
  /** KVM's stage2_page_tables for the VM: the real stage-2 permissions of the IPA (it carries no memory type). */
  readonly stage2Ptdump?: Ptdump;
}

/** The abort-related fields of a recorded ESR. */
export interface RecordedAbort {
  readonly ec: number;
  readonly isv: boolean;
  readonly sas: number;
  readonly cm: boolean;
  readonly s1ptw: boolean;
  readonly wnr: boolean;
  readonly fsc: number;
}

const ABORT_ECS = new Set([EC_IABT_LOW, EC_IABT_CUR, EC_DABT_LOW, EC_DABT_CUR]);

export function recordedAbort(esr: bigint): RecordedAbort | null {
  const ec = bits(esr, 31, 26);
  if (!ABORT_ECS.has(ec)) return null;
  return { ec, isv: bits(esr, 24, 24) === 1, sas: bits(esr, 23, 22), cm: bits(esr, 8, 8) === 1, s1ptw: bits(esr, 7, 7) === 1, wnr: bits(esr, 6, 6) === 1, fsc: bits(esr, 5, 0) };
}

/** The ESR came from ESR_EL2 (a stage-2 fault KVM saw), by the record's own statement or its kind. */
export function isStage2Record(r: FaultRecord): boolean {
  return r.el === 2 || r.kind === 'kvm_unsupported_fsc' || r.kind === 'kvm_guest_fault' || r.kind === 'kvm_nisv';
}

function barHolding(ctx: BundleContext, addr: bigint): PciDevice | null {
  for (const d of ctx.pciDevices) for (const b of d.bars) if (addr >= b.address && addr < b.address + b.size) return d;
  return null;
}

const ALIGNMENT_FSC = 0x21;
const GUEST_WC = 0x44;

function accessInput(r: FaultRecord, a: RecordedAbort, x: ReplayAssumptions): { kind: AccessKind; size: number; input: ReplayInput } {
  const sizeExtra = typeof r.extra['access_size'] === 'number' ? (r.extra['access_size'] as number) : null;
  const alts: WhatIf[] = [];
  let kind: AccessKind;
  let size: number;
  let basis: InputBasis = 'recorded';
  let source: string;
  if (x.access) {
    [kind, size, basis, source] = [x.access, x.size ?? 8, 'assumed', 'given'];
  } else if (a.ec === EC_IABT_LOW || a.ec === EC_IABT_CUR) {
    [kind, size, source] = ['ifetch', 4, 'instruction abort (EC)'];
  } else if (a.cm) {
    [kind, size, basis, source] = ['dc_civac', 64, 'assumed', 'ESR.CM = 1: a cache maintenance instruction; DC CIVAC assumed'];
  } else if (a.isv) {
    [kind, size, source] = [a.wnr ? 'store' : 'load', 1 << a.sas, 'ESR ISV = 1: SAS and WnR'];
  } else {
    kind = a.wnr ? 'store' : 'load';
    size = x.size ?? sizeExtra ?? 8;
    basis = x.size !== undefined || sizeExtra !== null ? 'recorded' : 'assumed';
    source = sizeExtra !== null ? 'the kvm_mmio access' : 'ESR.WnR gives the direction; ISV = 0 gives no size: 8 bytes assumed';
    for (const s of [1, 2, 4, 16]) if (s !== size) alts.push({ kind: 'access', access: kind, size: s });
  }
  return { kind, size, input: { name: 'access', value: `${kind} of ${size} bytes`, basis, source, alternatives: alts } };
}

// The last minor release of each major series (Linux 3.19, 4.20, 5.19), to name "the release before X.0".
const LAST_MINOR: Readonly<Record<number, number>> = { 2: 39, 3: 19, 4: 20, 5: 19 };

/** `6.9` -> `6.8`, `6.0` -> `5.19`: a kernel just before a policy change. */
export function releaseBefore(version: string): string {
  const [maj, min] = version.split('.').map(Number) as [number, number];
  return min > 0 ? `${maj}.${min - 1}` : `${maj - 1}.${LAST_MINOR[maj - 1] ?? 0}`;
}

function kernelInput(r: FaultRecord, ctx: BundleContext, x: ReplayAssumptions, region: S2Region): { kernel: string | null; input: ReplayInput } {
  const k = x.kernel ?? r.kernel ?? ctx.kernels[0] ?? null;
  const basis: InputBasis = x.kernel ? 'assumed' : r.kernel ? 'recorded' : k ? 'context' : 'unknown';
  // One kernel per policy row of the region: each row's first release, and for the oldest row the release
  // before the next change. Rows the kernel already falls in are left out.
  const rows = KVM_S2_POLICY.filter((p) => p.region === region);
  const reps = rows.map((p, i) => (i === rows.length - 1 ? releaseBefore((rows[i - 1] ?? p).since) : p.since));
  const current = k !== null ? kvmS2Policy(k, region) : null;
  const alternatives: WhatIf[] = reps.filter((v) => current === null || kvmS2Policy(v, region) !== current).map((v) => ({ kind: 'kernel', kernel: v }));
  return { kernel: k, input: { name: 'host kernel', value: k ?? 'unknown', basis, source: basis === 'unknown' ? 'no kernel version in the record or the bundle' : `the ${basis === 'recorded' ? 'record' : 'bundle'}`, alternatives } };
}

function regionInput(r: FaultRecord, ctx: BundleContext, a: RecordedAbort, x: ReplayAssumptions): { region: S2Region; device: PciDevice | null; input: ReplayInput } {
  const others = (reg: S2Region): WhatIf[] => (['ram', 'vfio-pci-bar', 'pfnmap-device'] as const).filter((g) => g !== reg).map((g) => ({ kind: 'region', region: g }));
  if (x.region) return { region: x.region, device: null, input: { name: 'IPA region', value: x.region, basis: 'assumed', source: 'given', alternatives: others(x.region) } };
  const dev = r.ipa !== null ? barHolding(ctx, r.ipa) : null;
  if (dev) {
    const region: S2Region = dev.driver === 'vfio-pci' ? 'vfio-pci-bar' : 'pfnmap-device';
    return { region, device: dev, input: { name: 'IPA region', value: `BAR of ${dev.bdf} (driver ${dev.driver ?? 'none'})`, basis: 'context', source: 'lspci BAR holding the IPA', alternatives: others(region) } };
  }
  const vfio = ctx.pciDevices.filter((d) => d.driver === 'vfio-pci');
  // A stage-2 alignment fault needs stage-2 Device memory, which KVM only makes for device (PFNMAP) mappings.
  if (a.fsc === ALIGNMENT_FSC || vfio.length > 0) {
    const dev1 = vfio.length === 1 ? (vfio[0] as PciDevice) : null;
    const why = dev1 ? `the IPA is not recorded; the bundle's only vfio-pci device is ${dev1.bdf}` : 'the IPA is not recorded; a passed-through PCI BAR assumed';
    return { region: 'vfio-pci-bar', device: dev1, input: { name: 'IPA region', value: dev1 ? `a BAR of ${dev1.bdf} (vfio-pci)` : 'a vfio-pci BAR', basis: 'assumed', source: why, alternatives: others('vfio-pci-bar') } };
  }
  return { region: 'ram', device: null, input: { name: 'IPA region', value: 'guest RAM', basis: 'assumed', source: 'no device region in the bundle holds the IPA', alternatives: others('ram') } };
}

/** The guest's stage-1 leaf: from its ptdump when the FAR is covered, else the labelled assumption. */
function guestInput(record: FaultRecord, x: ReplayAssumptions, region: S2Region): { s1: Stage1Attrs; input: ReplayInput } {
  const alternatives = (m: number): WhatIf[] => [0x04, 0x44, 0xff].filter((v) => v !== m).map((attr): WhatIf => ({ kind: 'guest-mair', attr }));
  const range = x.guestPtdump && record.far !== null ? findPtdumpRange(x.guestPtdump, record.far) : null;
  const p = range?.s1;
  if (range && p && p.mairAttr !== null && x.guestMair === undefined) {
    // AP[2:1] from the dump's columns: ro/RW and USR. [arch/arm64/mm/ptdump.c pte_bits: PTE_RDONLY, PTE_USER]
    const ap = (p.readOnly ? 2 : 0) | (p.user ? 1 : 0);
    const s1: Stage1Attrs = { kind: 'attrs', mairAttr: p.mairAttr, ap, pxn: p.pxn, uxn: p.uxn, af: p.af, sh: p.shared ? 'ISH' : 'NSH', level: range.level === 'PTE' ? 3 : 2 };
    const input: ReplayInput = { name: 'guest mapping', value: `${p.memType} (MAIR 0x${p.mairAttr.toString(16).padStart(2, '0')})`, basis: 'recorded', source: `guest page-table dump, line ${range.line}`, alternatives: alternatives(p.mairAttr) };
    return { s1, input };
  }
  const guest = x.guestMair ?? (region === 'ram' ? 0xff : GUEST_WC);
  const s1: Stage1Attrs = { kind: 'attrs', mairAttr: guest, ap: 0b01, pxn: false, uxn: false, af: true, sh: 'ISH', level: 3 };
  const value = guest === GUEST_WC ? 'Normal-NC (MAIR 0x44): the guest driver mapped the region write-combined' : `MAIR attribute 0x${guest.toString(16)}`;
  const source = x.guestMair !== undefined ? 'given' : x.guestPtdump ? 'the guest page-table dump does not cover the FAR' : 'no guest page-table dump in the bundle';
  return { s1, input: { name: 'guest mapping', value, basis: 'assumed', source, alternatives: alternatives(guest) } };
}

// Stage-2 permissions from KVM's dump when it covers the IPA: XN[1:0] from the execute columns (px ux 00,
// PXNux 01, PXNUXN 10, px UXN 11). [arch/arm64/kvm/ptdump.c stage2_pte_bits]
function stage2Perms(record: FaultRecord, x: ReplayAssumptions, region: S2Region): { s2ap: number; xn: number; af: boolean; input: ReplayInput | null } {
  const range = x.stage2Ptdump && record.ipa !== null ? findPtdumpRange(x.stage2Ptdump, record.ipa) : null;
  const p = range?.s2;
  if (range && p) {
    const xn = p.pxn ? (p.uxn ? 0b10 : 0b01) : p.uxn ? 0b11 : 0b00;
    const input: ReplayInput = { name: 'stage-2 permissions', value: `${p.read ? 'R' : '-'}${p.write ? 'W' : '-'} XN 0b${xn.toString(2).padStart(2, '0')}${p.af ? '' : ' AF=0'}`, basis: 'recorded', source: `KVM stage-2 page-table dump, line ${range.line}`, alternatives: [] };
    return { s2ap: (p.read ? 1 : 0) | (p.write ? 2 : 0), xn, af: p.af, input };
  }
  // KVM maps guest RAM executable and device memory never (stage2_set_prot_attr); read/write assumed.
  return { s2ap: 0b11, xn: region === 'ram' ? 0 : 0b10, af: true, input: null };
}

export interface ReplayInputs {
  readonly scenario: Scenario;
  readonly inputs: readonly ReplayInput[];
  readonly region: S2Region;
  readonly device: PciDevice | null;
}

/**
 * Builds the scenario for a recorded stage-2 (ESR_EL2) abort: attrs mode, stage 1 = the guest's mapping
 * (assumed write-combined, MAIR 0x44, for device regions; Normal WB for RAM), stage 2 = what KVM of that kernel
 * maps for the region (kvm-policy.ts). Null when the record has no abort ESR to replay.
 */
export function buildReplayInputs(record: FaultRecord, context: BundleContext, assumptions: ReplayAssumptions = {}): ReplayInputs | null {
  if (record.esr === null) return null;
  const a = recordedAbort(record.esr);
  if (!a) return null;
  const acc = accessInput(record, a, assumptions);
  const reg = regionInput(record, context, a, assumptions);
  const ker = kernelInput(record, context, assumptions, reg.region);
  const fwb = assumptions.fwb ?? false;
  const row = kvmS2Policy(ker.kernel ?? '6.8', reg.region) ?? kvmS2Policy('6.8', reg.region);
  const memattr = row ? (fwb ? row.memattr?.fwb : row.memattr?.nofwb) ?? 0b0001 : 0b0001;
  const guest = guestInput(record, assumptions, reg.region);
  const perms = stage2Perms(record, assumptions, reg.region);
  const stage2: Stage2Attrs = { kind: 'attrs', memattr, s2ap: perms.s2ap, xn: perms.xn, af: perms.af, sh: 'ISH', level: 3 };
  const address = record.far ?? record.ipa;
  const aligned = assumptions.aligned ?? (address !== null ? null : a.fsc !== ALIGNMENT_FSC);
  const va = address !== null && aligned === null ? address : 0x10000000n + (aligned === false ? 1n : 0n);
  const el = assumptions.el ?? 1;
  const scenario: Scenario = {
    mode: 'attrs',
    cpu: DEFAULT_CPU,
    sctlr: DEFAULT_SCTLR,
    hcr: { VM: true, FWB: fwb, PTW: false, DC: false, CD: false },
    stage1: guest.s1,
    stage2,
    access: { kind: acc.kind, va, size: acc.size, elementSize: null, el },
    kvm: { kernel: ker.kernel ?? '6.8', inMemslot: assumptions.inMemslot ?? (reg.region === 'ram' ? true : null) },
  };
  const inputs: ReplayInput[] = [
    acc.input,
    {
      name: 'address',
      value: address !== null && aligned === null ? `0x${address.toString(16)}` : aligned === false ? 'unaligned (offset 1)' : 'aligned',
      basis: address !== null && aligned === null ? 'recorded' : 'assumed',
      source: address !== null && aligned === null ? (record.far !== null ? 'FAR' : 'IPA') : 'not in the record; alignment as the recorded fault code implies',
      alternatives: [{ kind: 'aligned' }],
    },
    { name: 'guest EL', value: `EL${el}`, basis: 'assumed', source: 'EC 0x24/0x20 in ESR_EL2 covers guest EL0 and EL1; a kernel driver assumed', alternatives: [] },
    ker.input,
    reg.input,
    { name: 'HCR_EL2.FWB', value: fwb ? '1' : '0', basis: 'assumed', source: 'FEAT_S2FWB support is not in the bundle', alternatives: [{ kind: 'fwb', on: !fwb }] },
    guest.input,
    ...(perms.input ? [perms.input] : []),
    { name: 'stage-2 MemAttr', value: `0b${memattr.toString(2).padStart(4, '0')}`, basis: ker.kernel ? 'context' : 'unknown', source: row?.text ?? 'KVM policy', alternatives: [] },
  ];
  return { scenario, inputs, region: reg.region, device: reg.device };
}
