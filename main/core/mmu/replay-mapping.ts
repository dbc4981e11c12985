// Whether the faulting address had a valid translation at the moment of the fault, as a replay input: the IPA
// at stage 2 (guest aborts KVM saw) or the VA at stage 1 (aborts a kernel took itself), with the access flag.
// Translation and access-flag faults are what a missing entry or AF = 0 produces (ASL AArch64.S1Walk /
// AArch64.S2Walk), and at stage 2 they are KVM's normal path: it maps memslot pages on first touch and never
// maps an IPA outside every memslot, whose accesses it emulates (arch/arm64/kvm/mmu.c kvm_handle_guest_abort).
// So the mapping is recorded only where a table image or a page-table dump covers the address; a fault the
// architecture checks after a successful walk implies it; otherwise it is unknown, and the alternative that
// a missing entry (or AF = 0) at the recorded level gives is offered.
import type { BundleContext, FaultRecord } from '../ingest/fault-record';
import { assertNever } from '../result';
import { GRANULE_BITS, physicalAddressSize, s1StartLevel, s2InconsistentSL, s2InvalidSL, s2StartLevel, type Granule } from './granule';
import { findPtdumpRange, type Ptdump } from './ptdump';
import type { InputBasis, RecordedAbort, ReplayAssumptions, ReplayInput, WhatIf } from './replay-inputs';
import { EC_IABT_CUR, EC_IABT_LOW } from './fault';
import type { Stage2Walk } from './scenario';
import { numericImage, walkGeometry, walkTables } from './walk';

/** The state of the translation of the faulting address: a valid leaf (AF = 1), AF = 0, or no valid entry. */
export type MappingState =
  | { readonly state: 'mapped'; readonly level: number }
  | { readonly state: 'af0'; readonly level: number }
  | { readonly state: 'unmapped'; readonly level: number };

/** The walk fault a DFSC reports, with its level. [ASL EncodeLDFSC; LPA2 level -1 translation 0x2B] */
export function walkFaultOf(fsc: number): { readonly type: 'translation' | 'access_flag'; readonly level: number } | null {
  if (fsc >= 0x04 && fsc <= 0x07) return { type: 'translation', level: fsc - 0x04 };
  if (fsc === 0x2b) return { type: 'translation', level: -1 };
  if (fsc >= 0x08 && fsc <= 0x0b) return { type: 'access_flag', level: fsc - 0x08 };
  return null;
}

// Faults the architecture reports only after the walk found a valid leaf with AF = 1, so the record implies
// the mapping. Stage 2 (ASL AArch64.S2Translate: walk, AF, then alignment by memory type and permissions;
// AArch64.MemSingle and the access itself after translation): permission 0x0C-0x0F at the leaf level,
// alignment 0x21, unsupported exclusive/atomic 0x35, synchronous external abort on the access 0x10, TLB
// conflict 0x30. Stage 1 the same except alignment, which can be checked before the walk
// (AArch64.UnalignedAccessFaults).
function impliedLeaf(fsc: number, stage: 1 | 2): { readonly what: string; readonly level: number | null } | null {
  if (fsc >= 0x0c && fsc <= 0x0f) return { what: 'permission', level: fsc - 0x0c };
  if (fsc === 0x21 && stage === 2) return { what: 'alignment', level: null };
  if (fsc === 0x35) return { what: 'unsupported exclusive/atomic', level: null };
  if (fsc === 0x10) return { what: 'external abort', level: null };
  if (fsc === 0x30) return { what: 'TLB conflict', level: null };
  return null;
}

export function describeMapping(m: MappingState, what: 'IPA' | 'VA', stage: 1 | 2): string {
  switch (m.state) {
    case 'mapped':
      return `${what} mapped at stage ${stage} (AF = 1, level ${m.level})`;
    case 'af0':
      return stage === 2
        ? `IPA mapped at stage 2 with AF = 0 (aged by KVM, kvm_age_gfn), level ${m.level}`
        : `VA mapped at stage 1 with AF = 0, level ${m.level}`;
    case 'unmapped':
      return stage === 2
        ? `IPA not mapped at stage 2 yet (first touch / outside memslots), level ${m.level}`
        : `VA not mapped at stage 1 (no valid descriptor), level ${m.level}`;
    default:
      return assertNever(m);
  }
}

function valueOf(m: MappingState): string {
  return m.state === 'mapped' ? `yes, AF = 1 (leaf at level ${m.level})` : m.state === 'af0' ? `yes, AF = 0 (leaf at level ${m.level})` : `no (invalid descriptor at level ${m.level})`;
}

interface Evidence {
  readonly mapping: MappingState;
  readonly source: string;
}

// A stage-2 table image covers the IPA when every descriptor the walk reads is in it. [ASL AArch64.S2Walk;
// descriptor: valid bit 0, AF bit 10]
function fromTables(w: Stage2Walk, ipa: bigint, pamax: number): Evidence | null {
  const start = s2StartLevel(w.sl0, w.tg0);
  const iasize = 64 - w.t0sz;
  if (start === null || s2InvalidSL(w.sl0, w.tg0, pamax) || s2InconsistentSL(iasize, start, w.tg0) || ipa >= 1n << BigInt(iasize)) return null;
  const g = walkGeometry(w.tg0, iasize, start, w.vttbr, physicalAddressSize(w.ps, pamax));
  const image = numericImage(w.tables);
  const r = walkTables(g, Number(ipa), { read: (addr) => image.get(addr) ?? null });
  const source = 'the stage-2 table image (VTTBR_EL2 walk)';
  if (r.kind === 'leaf') return { mapping: (r.desc.lo >> 10) & 1 ? { state: 'mapped', level: r.level } : { state: 'af0', level: r.level }, source };
  if (r.kind === 'fault' && r.type === 'translation') return { mapping: { state: 'unmapped', level: r.level }, source };
  return null;
}

// KVM's stage2_page_tables prints the level number; an all-invalid range prints no attributes.
// [arch/arm64/kvm/ptdump.c]
function fromStage2Dump(dump: Ptdump, ipa: bigint): Evidence | null {
  const range = findPtdumpRange(dump, ipa);
  const level = range ? Number(range.level) : NaN;
  if (!range || !Number.isInteger(level)) return null;
  const source = `KVM stage-2 page-table dump, line ${range.line}`;
  if (!range.mapped || !range.s2) return { mapping: { state: 'unmapped', level }, source };
  return { mapping: range.s2.af ? { state: 'mapped', level } : { state: 'af0', level }, source };
}

// The kernel's stage-1 ptdump names levels PGD/P4D/PUD/PMD/PTE with folded levels left out, so PGD is the
// walk's start level, known from the page size and VA bits. [arch/arm64/mm/ptdump.c pg_level[]]
const S1_LEVEL: Readonly<Record<string, number>> = { P4D: 0, PUD: 1, PMD: 2, PTE: 3 };
const GRANULE_OF_KIB: Readonly<Record<number, Granule>> = { 4: '4K', 16: '16K', 64: '64K' };

function fromStage1Dump(dump: Ptdump, va: bigint, ctx: BundleContext): Evidence | null {
  const range = findPtdumpRange(dump, va);
  if (!range) return null;
  const granule = ctx.pageSizeKiB !== null ? GRANULE_OF_KIB[ctx.pageSizeKiB] : undefined;
  const level = range.level === 'PGD' ? (granule && ctx.vaBits !== null && ctx.vaBits > GRANULE_BITS[granule] ? s1StartLevel(ctx.vaBits, granule) : null) : (S1_LEVEL[range.level] ?? null);
  if (level === null) return null;
  const source = `page-table dump, line ${range.line}`;
  if (!range.mapped || !range.s1) return { mapping: { state: 'unmapped', level }, source };
  return { mapping: range.s1.af ? { state: 'mapped', level } : { state: 'af0', level }, source };
}

export interface MappingInput {
  readonly mapping: MappingState;
  readonly input: ReplayInput;
}

function decide(a: RecordedAbort, stage: 1 | 2, evidence: Evidence | null, name: string, what: 'IPA' | 'VA', covers: string): MappingInput {
  const kind: WhatIf['kind'] = stage === 2 ? 's2-mapping' : 's1-mapping';
  if (evidence) return { mapping: evidence.mapping, input: { name, value: valueOf(evidence.mapping), basis: 'recorded', source: evidence.source, alternatives: [] } };
  const implied = impliedLeaf(a.fsc, stage);
  if (implied) {
    const mapping: MappingState = { state: 'mapped', level: implied.level ?? 3 };
    const source = `implied by the recorded ${implied.what} fault: stage ${stage} reports it only after a walk that found a valid entry with AF = 1 (ASL AArch64.S${stage}Translate)`;
    return { mapping, input: { name, value: implied.level === null ? 'yes, AF = 1' : valueOf(mapping), basis: 'recorded', source, alternatives: [] } };
  }
  const walk = walkFaultOf(a.fsc);
  const mapping: MappingState = { state: 'mapped', level: 3 };
  if (!walk) return { mapping, input: { name, value: 'yes, AF = 1 (assumed)', basis: 'assumed', source: `no ${covers} covers the ${what}; the recorded fault is not a translation or access-flag fault`, alternatives: [] } };
  const alt: MappingState = walk.type === 'translation' ? { state: 'unmapped', level: walk.level } : { state: 'af0', level: walk.level };
  const basis: InputBasis = 'unknown';
  const why = stage === 2 ? 'KVM maps memslot pages on first touch and never maps an IPA outside every memslot' : 'the entry may be missing or have AF = 0';
  return {
    mapping,
    input: { name, value: 'unknown', basis, source: `no ${covers} covers the ${what} (${why}); the replay assumes a valid entry with AF = 1`, alternatives: [{ kind, mapping: alt }] },
  };
}

/** Whether the IPA had a valid stage-2 entry (with AF) when the guest abort happened. */
export function stage2MappingInput(record: FaultRecord, a: RecordedAbort, x: ReplayAssumptions, pamax: number): MappingInput {
  const ipa = record.ipa;
  const evidence = ipa === null ? null : ((x.stage2Tables ? fromTables(x.stage2Tables, ipa, pamax) : null) ?? (x.stage2Ptdump ? fromStage2Dump(x.stage2Ptdump, ipa) : null));
  return decide(a, 2, evidence, 'IPA mapped at stage 2', 'IPA', 'stage-2 table image or KVM stage-2 page-table dump');
}

/** Whether the VA had a valid stage-1 entry (with AF) when a kernel took the abort itself. */
export function stage1MappingInput(record: FaultRecord, a: RecordedAbort, x: ReplayAssumptions, ctx: BundleContext): MappingInput {
  const evidence = record.far !== null && x.guestPtdump ? fromStage1Dump(x.guestPtdump, record.far, ctx) : null;
  return decide(a, 1, evidence, 'VA mapped at stage 1', 'VA', 'page-table dump');
}

/**
 * The permissions that give the recorded permission fault (DFSC 0x0C-0x0F), when no dump says what they were:
 * an instruction fetch without execute, a write without write, a read without read (ASL
 * AArch64.S2CheckPermissions / S1CheckPermissions). At stage 2 these are KVM's normal path too: RAM is mapped
 * without execute until an instruction fetch needs it (unless CTR_EL0.DIC), and writable only once written when
 * dirty-page logging write-protects it or the host page is read-only (arch/arm64/kvm/mmu.c user_mem_abort,
 * kvm_pgtable_stage2_relax_perms). A stage-1 read at EL1 faults only through PAN, which is not modelled.
 */
export function permissionAlternatives(a: RecordedAbort, stage: 1 | 2, el: 0 | 1): WhatIf[] {
  if (!(a.fsc >= 0x0c && a.fsc <= 0x0f)) return [];
  const fetch = a.ec === EC_IABT_LOW || a.ec === EC_IABT_CUR;
  if (stage === 2) {
    if (fetch) return [{ kind: 's2-perms', s2ap: 0b11, xn: 0b10, label: 'stage-2 entry not executable (KVM adds execute on the first instruction fetch)' }];
    if (a.wnr) return [{ kind: 's2-perms', s2ap: 0b01, xn: 0b10, label: 'stage-2 entry read-only (write-protected for dirty logging, or a read-only host page)' }];
    return [{ kind: 's2-perms', s2ap: 0b00, xn: 0b10, label: 'stage-2 entry without read permission' }];
  }
  // AP[2:1]: 00 EL1 RW / EL0 none, 01 RW / RW, 10 RO / none, 11 RO / RO. [ASL AArch64.S1DirectBasePermissions]
  if (fetch) return [{ kind: 's1-perms', ap: el === 1 ? 0b10 : 0b11, pxn: el === 1, uxn: el === 0, label: `mapping not executable at EL${el} (${el === 1 ? 'PXN' : 'UXN'})` }];
  if (el === 1) return a.wnr ? [{ kind: 's1-perms', ap: 0b10, pxn: true, uxn: true, label: 'read-only mapping (AP[2] = 1)' }] : [];
  const none: WhatIf = { kind: 's1-perms', ap: 0b00, pxn: true, uxn: true, label: 'mapping without EL0 access (AP = 0b00, a kernel page)' };
  return a.wnr ? [{ kind: 's1-perms', ap: 0b11, pxn: true, uxn: true, label: 'read-only mapping (AP = 0b11)' }, none] : [none];
}
