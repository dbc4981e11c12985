// Replay inputs for a recorded fault: what the record and the bundle say (recorded / context), and what has to
// be assumed (labelled, with the alternatives the what-if view offers). The ESR fields come from the Arm ARM
// ESR_ELx data/instruction abort ISS layout: ISV [24], SAS [23:22], CM [8], S1PTW [7], WnR [6], xFSC [5:0].
import type { BundleContext, FaultRecord, PciDevice } from '../ingest/fault-record';
import { bits } from '../hex';
import { type AccessKind } from './access';
import { EC_DABT_CUR, EC_DABT_LOW, EC_IABT_CUR, EC_IABT_LOW } from './fault';
import { KVM_S2_POLICY, kvmS2Policy, type S2Region } from './kvm-policy';
import { findPtdumpRange, type Ptdump } from './ptdump';
import { permissionAlternatives, stage1MappingInput, stage2MappingInput, type MappingState } from './replay-mapping';
import type { MemslotEvidence } from './trace-evidence';
import { DEFAULT_CPU, DEFAULT_SCTLR, type Scenario, type Stage1Attrs, type Stage2Attrs, type Stage2Walk } from './scenario';

export type InputBasis = 'recorded' | 'context' | 'assumed' | 'unknown';

/** One change to a replay input (the what-if vocabulary). */
export type WhatIf =
  | { readonly kind: 'kernel'; readonly kernel: string }
  | { readonly kind: 'region'; readonly region: S2Region }
  | { readonly kind: 'fwb'; readonly on: boolean }
  | { readonly kind: 's2-memattr'; readonly memattr: number }
  | { readonly kind: 'guest-mair'; readonly attr: number }
  /** The same change for a stage-1-only replay (a kernel's own mapping, not a guest's). */
  | { readonly kind: 'mair'; readonly attr: number }
  | { readonly kind: 'aligned' }
  | { readonly kind: 'access'; readonly access: AccessKind; readonly size: number }
  | { readonly kind: 's2-mapping'; readonly mapping: MappingState }
  | { readonly kind: 's1-mapping'; readonly mapping: MappingState }
  | { readonly kind: 'memslot'; readonly inMemslot: boolean }
  | { readonly kind: 's2-perms'; readonly s2ap: number; readonly xn: number; readonly label: string }
  | { readonly kind: 's1-perms'; readonly ap: number; readonly pxn: boolean; readonly uxn: boolean; readonly label: string };

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
  /** The VM's stage-2 tables as an image (VTCR_EL2/VTTBR_EL2 and descriptors): whether the IPA was mapped. */
  readonly stage2Tables?: Stage2Walk;
  /** What the trace around the abort says about the IPA's memslot (trace-evidence.ts). */
  readonly memslotEvidence?: MemslotEvidence;
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

/**
 * A guest's abort that KVM saw, replayed through both stages: the KVM kinds, or an ESR_EL2 abort from a lower EL
 * (EC 0x20/0x24). Anything else (an ESR_EL1 abort a kernel or process took, the hypervisor's own EC 0x21/0x25
 * fault) is replayed at stage 1 only: a stage-2 fault is never reported to EL1, and the ESR_ELx an EL1 kernel
 * sees comes from its own stage 1 (Arm ARM: stage-2 faults are taken to EL2).
 */
export function isGuestAbort(r: FaultRecord): boolean {
  if (r.kind === 'kvm_unsupported_fsc' || r.kind === 'kvm_guest_fault' || r.kind === 'kvm_nisv') return true;
  const ec = r.esr === null ? null : bits(r.esr, 31, 26);
  return r.el === 2 && (ec === EC_DABT_LOW || ec === EC_IABT_LOW);
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
    // An alignment fault is also what an unaligned exclusive or atomic takes, whatever the memory type (ASL
    // AArch64.UnalignedAccessFaults); an atomic reads and writes, so it reports WnR = 0 (ASL fault.write).
    if (a.fsc === ALIGNMENT_FSC) alts.push({ kind: 'access', access: a.wnr ? 'exclusive_store' : 'exclusive_load', size }, ...(a.wnr ? [] : [{ kind: 'access', access: 'atomic_rmw', size } as const]));
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
  // lspci in a host bundle gives host-physical BAR addresses, not the guest-physical ones the IPA is in.
  const where = r.ipa !== null ? `the IPA 0x${r.ipa.toString(16)} is in no BAR lspci lists (a host's lspci gives host-physical addresses)` : 'the IPA is not recorded';
  // A stage-2 alignment fault needs stage-2 Device memory, which KVM only makes for device (PFNMAP) mappings.
  if (a.fsc === ALIGNMENT_FSC || vfio.length > 0) {
    const dev1 = vfio.length === 1 ? (vfio[0] as PciDevice) : null;
    const why = dev1 ? `${where}; the bundle's only vfio-pci device is ${dev1.bdf}` : `${where}; a passed-through PCI BAR assumed`;
    return { region: 'vfio-pci-bar', device: dev1, input: { name: 'IPA region', value: dev1 ? `a BAR of ${dev1.bdf} (vfio-pci)` : 'a vfio-pci BAR', basis: 'assumed', source: why, alternatives: others('vfio-pci-bar') } };
  }
  return { region: 'ram', device: null, input: { name: 'IPA region', value: 'guest RAM', basis: 'assumed', source: `${where}; no device region in the bundle holds it`, alternatives: others('ram') } };
}

/**
 * Whether the IPA is in a memslot, which decides what KVM does with a translation fault (mapping vs emulation).
 * A vfio-pci BAR is one when QEMU mmaps the VFIO region and registers it as a memory region (the default); with
 * x-no-mmap=on, or a BAR page QEMU does not mmap, the access traps and QEMU emulates it (hw/vfio, memory_region
 * of the region's mmaps; arch/arm64/kvm/mmu.c kvm_handle_guest_abort: memslot lookup by gfn).
 */
function memslotInput(x: ReplayAssumptions, region: { region: S2Region; device: PciDevice | null; input: ReplayInput }): { inMemslot: boolean | null; input: ReplayInput } {
  const name = 'IPA in a memslot';
  const flip = (v: boolean): WhatIf[] => [{ kind: 'memslot', inMemslot: !v }];
  if (x.inMemslot !== undefined) return { inMemslot: x.inMemslot, input: { name, value: x.inMemslot ? 'yes' : 'no', basis: 'assumed', source: 'given', alternatives: flip(x.inMemslot) } };
  const e = x.memslotEvidence;
  if (e) return { inMemslot: e.inMemslot, input: { name, value: e.inMemslot ? 'yes' : 'no', basis: 'context', source: e.source, alternatives: flip(e.inMemslot) } };
  if (region.input.basis === 'context' && region.device) {
    const source = `assumed: QEMU mmaps the BARs of ${region.device.bdf} (VFIO region mmap) and registers them as a memslot; with x-no-mmap=on the access would trap to QEMU instead`;
    return { inMemslot: true, input: { name, value: 'yes (the BAR as QEMU maps it)', basis: 'assumed', source, alternatives: flip(true) } };
  }
  if (region.region === 'ram') return { inMemslot: true, input: { name, value: 'yes (guest RAM)', basis: 'assumed', source: 'guest RAM is registered as memslots', alternatives: flip(true) } };
  const alternatives: WhatIf[] = [
    { kind: 'memslot', inMemslot: true },
    { kind: 'memslot', inMemslot: false },
  ];
  return { inMemslot: null, input: { name, value: 'unknown', basis: 'unknown', source: 'the bundle gives no guest-physical memory map (memslots, or BARs as the guest sees them)', alternatives } };
}

const S1_MAIR_ALTERNATIVES = [0x04, 0x44, 0xff];

/** The stage-1 leaf: from the ptdump when it covers the FAR, else the labelled assumption (`fallback` MAIR). */
// The assumed stage-1 permissions, AP[2:1] as the kernel maps what the access touches: kernel text RO/none
// (0b10) for an EL1 fetch, user text RO/RO (0b11) for an EL0 fetch, kernel data RW/none (0b00) at EL1, user data
// RW/RW (0b01) at EL0. [ASL AArch64.S1DirectBasePermissions: an EL0-writable page is never EL1-executable]
function assumedAp(kind: AccessKind, el: 0 | 1): number {
  if (kind === 'ifetch') return el === 1 ? 0b10 : 0b11;
  return el === 1 ? 0b00 : 0b01;
}

function mappingInput(record: FaultRecord, x: ReplayAssumptions, name: string, fallback: number, ap: number): { s1: Stage1Attrs; input: ReplayInput } {
  const kind = name === 'guest mapping' ? 'guest-mair' : 'mair';
  const alternatives = (m: number): WhatIf[] => S1_MAIR_ALTERNATIVES.filter((v) => v !== m).map((attr): WhatIf => ({ kind, attr }));
  const range = x.guestPtdump && record.far !== null ? findPtdumpRange(x.guestPtdump, record.far) : null;
  const p = range?.s1;
  if (range && p && p.mairAttr !== null && x.guestMair === undefined) {
    // AP[2:1] from the dump's columns: ro/RW and USR. [arch/arm64/mm/ptdump.c pte_bits: PTE_RDONLY, PTE_USER]
    const ap = (p.readOnly ? 2 : 0) | (p.user ? 1 : 0);
    const s1: Stage1Attrs = { kind: 'attrs', mairAttr: p.mairAttr, ap, pxn: p.pxn, uxn: p.uxn, af: p.af, sh: p.shared ? 'ISH' : 'NSH', level: range.level === 'PTE' ? 3 : 2 };
    const input: ReplayInput = { name, value: `${p.memType} (MAIR 0x${p.mairAttr.toString(16).padStart(2, '0')})`, basis: 'recorded', source: `page-table dump, line ${range.line}`, alternatives: alternatives(p.mairAttr) };
    return { s1, input };
  }
  const attr = x.guestMair ?? fallback;
  const s1: Stage1Attrs = { kind: 'attrs', mairAttr: attr, ap, pxn: false, uxn: false, af: true, sh: 'ISH', level: 3 };
  const value =
    attr === GUEST_WC ? 'Normal-NC (MAIR 0x44): the guest driver mapped the region write-combined' : attr === 0xff ? 'Normal WB (MAIR 0xff)' : `MAIR attribute 0x${attr.toString(16)}`;
  const source = x.guestMair !== undefined ? 'given' : x.guestPtdump ? 'the page-table dump does not cover the FAR' : 'no page-table dump in the bundle';
  return { s1, input: { name, value, basis: 'assumed', source, alternatives: alternatives(attr) } };
}

// Stage-2 permissions from KVM's dump when it covers the IPA: XN[1:0] from the execute columns (px ux 00,
// PXNux 01, PXNUXN 10, px UXN 11). [arch/arm64/kvm/ptdump.c stage2_pte_bits]
function stage2Perms(record: FaultRecord, a: RecordedAbort, x: ReplayAssumptions, region: S2Region): { s2ap: number; xn: number; input: ReplayInput | null } {
  const range = x.stage2Ptdump && record.ipa !== null ? findPtdumpRange(x.stage2Ptdump, record.ipa) : null;
  const p = range?.s2;
  if (range && p) {
    const xn = p.pxn ? (p.uxn ? 0b10 : 0b01) : p.uxn ? 0b11 : 0b00;
    const input: ReplayInput = { name: 'stage-2 permissions', value: `${p.read ? 'R' : '-'}${p.write ? 'W' : '-'} XN 0b${xn.toString(2).padStart(2, '0')}`, basis: 'recorded', source: `KVM stage-2 page-table dump, line ${range.line}`, alternatives: [] };
    return { s2ap: (p.read ? 1 : 0) | (p.write ? 2 : 0), xn, input };
  }
  // KVM maps guest RAM executable and device memory never (stage2_set_prot_attr); read/write assumed.
  const xn = region === 'ram' ? 0 : 0b10;
  const alternatives = permissionAlternatives(a, 2, 1);
  if (alternatives.length === 0) return { s2ap: 0b11, xn, input: null };
  const source = 'no KVM stage-2 page-table dump covers the IPA, and KVM relaxes stage-2 permissions on demand; the replay assumes read, write and execute as mapped for the region';
  return { s2ap: 0b11, xn, input: { name: 'stage-2 permissions', value: 'unknown', basis: 'unknown', source, alternatives } };
}

export interface ReplayInputs {
  readonly scenario: Scenario;
  readonly inputs: readonly ReplayInput[];
  readonly region: S2Region;
  readonly device: PciDevice | null;
}

/** The access address: the recorded FAR (or IPA), or an aligned/unaligned one as the fault code implies. */
function addressInput(record: FaultRecord, a: RecordedAbort, x: ReplayAssumptions): { va: bigint; input: ReplayInput } {
  const address = record.far ?? record.ipa;
  const aligned = x.aligned ?? (address !== null ? null : a.fsc !== ALIGNMENT_FSC);
  const va = address !== null && aligned === null ? address : 0x10000000n + (aligned === false ? 1n : 0n);
  const known = address !== null && aligned === null;
  const input: ReplayInput = {
    name: 'address',
    value: known ? `0x${address.toString(16)}` : aligned === false ? 'unaligned (offset 1)' : 'aligned',
    basis: known ? 'recorded' : 'assumed',
    source: known ? (record.far !== null ? 'FAR' : 'IPA') : 'not in the record; alignment as the recorded fault code implies',
    alternatives: [{ kind: 'aligned' }],
  };
  return { va, input };
}

/**
 * Builds the scenario for a recorded guest abort (ESR_EL2): attrs mode, stage 1 = the guest's mapping (assumed
 * write-combined, MAIR 0x44, for device regions; Normal WB for RAM), stage 2 = what KVM of that kernel maps for
 * the region (kvm-policy.ts), present or not at the moment of the fault (replay-mapping.ts).
 */
function buildGuestAbortInputs(record: FaultRecord, a: RecordedAbort, context: BundleContext, assumptions: ReplayAssumptions): ReplayInputs {
  const acc = accessInput(record, a, assumptions);
  const reg = regionInput(record, context, a, assumptions);
  const ker = kernelInput(record, context, assumptions, reg.region);
  const slot = memslotInput(assumptions, reg);
  const fwb = assumptions.fwb ?? false;
  const row = kvmS2Policy(ker.kernel ?? '6.8', reg.region) ?? kvmS2Policy('6.8', reg.region);
  const memattr = row ? (fwb ? row.memattr?.fwb : row.memattr?.nofwb) ?? 0b0001 : 0b0001;
  const el = assumptions.el ?? 1;
  const guest = mappingInput(record, assumptions, 'guest mapping', assumptions.guestMair ?? (reg.region === 'ram' ? 0xff : GUEST_WC), assumedAp(acc.kind, el));
  // The guest's stage 1 found the IPA (HPFAR); for S1PTW the IPA is that of the table descriptor fetched.
  const s1: Stage1Attrs = { ...guest.s1, ...(record.ipa !== null ? (a.s1ptw ? { tableIpa: record.ipa } : { ipaPage: record.ipa }) : {}) };
  const perms = stage2Perms(record, a, assumptions, reg.region);
  const mapped = stage2MappingInput(record, a, assumptions, DEFAULT_CPU.pamax);
  const stage2: Stage2Attrs = { kind: 'attrs', memattr, s2ap: perms.s2ap, xn: perms.xn, sh: 'ISH', ...leafOf(mapped.mapping) };
  const addr = addressInput(record, a, assumptions);
  const scenario: Scenario = {
    mode: 'attrs',
    cpu: DEFAULT_CPU,
    sctlr: DEFAULT_SCTLR,
    hcr: { VM: true, FWB: fwb, PTW: false, DC: false, CD: false },
    stage1: s1,
    stage2,
    access: { kind: acc.kind, va: addr.va, size: acc.size, elementSize: null, el },
    kvm: { kernel: ker.kernel ?? '6.8', inMemslot: slot.inMemslot, syndromeValid: a.isv },
  };
  const inputs: ReplayInput[] = [
    acc.input,
    addr.input,
    { name: 'guest EL', value: `EL${el}`, basis: 'assumed', source: 'EC 0x24/0x20 in ESR_EL2 covers guest EL0 and EL1; a kernel driver assumed', alternatives: [] },
    ker.input,
    reg.input,
    slot.input,
    mapped.input,
    { name: 'HCR_EL2.FWB', value: fwb ? '1' : '0', basis: 'assumed', source: 'FEAT_S2FWB support is not in the bundle', alternatives: [{ kind: 'fwb', on: !fwb }] },
    guest.input,
    ...(perms.input ? [perms.input] : []),
    { name: 'stage-2 MemAttr', value: `0b${memattr.toString(2).padStart(4, '0')}`, basis: ker.kernel ? 'context' : 'unknown', source: row?.text ?? 'KVM policy', alternatives: [] },
  ];
  return { scenario, inputs, region: reg.region, device: reg.device };
}

/** The leaf fields of a mapping state (attrs mode). */
export function leafOf(m: MappingState): { valid: boolean; af: boolean; level: number } {
  return { valid: m.state !== 'unmapped', af: m.state === 'mapped', level: m.level };
}

/**
 * Builds the scenario for an abort a kernel took itself (ESR_EL1, or the hypervisor's own fault): stage 1 only,
 * the EL from the EC (0x24/0x20 from EL0, 0x25/0x21 at the kernel's EL), no KVM.
 */
function buildStage1Inputs(record: FaultRecord, a: RecordedAbort, context: BundleContext, assumptions: ReplayAssumptions): ReplayInputs {
  const acc = accessInput(record, a, assumptions);
  const addr = addressInput(record, a, assumptions);
  const lower = a.ec === EC_DABT_LOW || a.ec === EC_IABT_LOW;
  const el = assumptions.el ?? (lower ? 0 : 1);
  const leaf = mappingInput(record, assumptions, 'stage-1 mapping', 0xff, assumedAp(acc.kind, el));
  const mapped = stage1MappingInput(record, a, assumptions, context);
  const permAlternatives = leaf.input.basis === 'recorded' ? [] : permissionAlternatives(a, 1, el);
  const perms: ReplayInput[] = permAlternatives.length
    ? [{ name: 'stage-1 permissions', value: 'unknown', basis: 'unknown', source: 'no page-table dump covers the VA; the replay assumes a read/write, executable mapping', alternatives: permAlternatives }]
    : [];
  const scenario: Scenario = {
    mode: 'attrs',
    cpu: DEFAULT_CPU,
    sctlr: DEFAULT_SCTLR,
    hcr: { VM: false, FWB: false, PTW: false, DC: false, CD: false },
    stage1: { ...leaf.s1, ...leafOf(mapped.mapping) },
    stage2: null,
    access: { kind: acc.kind, va: addr.va, size: acc.size, elementSize: null, el },
    kvm: null,
  };
  const elSource = assumptions.el !== undefined ? 'given' : `EC 0x${a.ec.toString(16)}: ${lower ? 'from a lower EL (user space)' : 'at the same EL (the kernel)'}`;
  const inputs: ReplayInput[] = [
    acc.input,
    addr.input,
    { name: 'EL', value: `EL${el}`, basis: assumptions.el !== undefined ? 'assumed' : 'recorded', source: elSource, alternatives: [] },
    leaf.input,
    mapped.input,
    ...perms,
  ];
  return { scenario, inputs, region: 'ram', device: null };
}

/** The replay inputs of a recorded abort; null when the record has no abort ESR to replay. */
export function buildReplayInputs(record: FaultRecord, context: BundleContext, assumptions: ReplayAssumptions = {}): ReplayInputs | null {
  if (record.esr === null) return null;
  const a = recordedAbort(record.esr);
  if (!a) return null;
  return isGuestAbort(record) ? buildGuestAbortInputs(record, a, context, assumptions) : buildStage1Inputs(record, a, context, assumptions);
}
