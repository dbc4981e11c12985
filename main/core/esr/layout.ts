// ISS layouts as data: field rows in Arm ARM bit order, each with its architectural name, its bit range
// inside ISS (or ISS2), when it means something and how to read its value.
//
// A layout is a list of variants (the first whose condition holds is used) because some ISS encodings
// repartition their bits (a Data Abort with ISV=1 or ISV=0). Inside a variant, a slot is one field, or a
// list of alternatives for the same bits (SET / LST / RES0): the first meaningful alternative is shown.

import { fragment } from './byte-writer';

/** Why a field is not meaningful for this value, or null when it is. */
export type Reason = string | null;

/** Field predicates see the whole ISS, ISS2 and EC, as numbers (the batch path calls them per value). */
export type FieldCondition = (iss: number, iss2: number, ec: number) => Reason;
export type FieldReader = (value: number, iss: number, iss2: number, ec: number) => string;

export interface FieldSpec {
  /** Architectural name as spelled in the Arm ARM (`WnR`), or `RES0`. */
  readonly name: string;
  readonly title: string;
  /** Bits inside ISS [24:0] or ISS2 [23:0]. */
  readonly hi: number;
  readonly lo: number;
  /** Key in the JSON `fields` object: the name in lower case. */
  readonly key: string;
  /** UTF-8 bytes of `"key":` (the batch JSON path writes them as they are). */
  readonly jsonKey: Uint8Array;
  readonly mask: number;
  /** RES0 filler: a set bit is a warning, never a field value. */
  readonly res0: boolean;
  /** When not meaningful, the bits must read as zero (RES0 for this value): a set bit is a warning. */
  readonly zeroWhenIdle: boolean;
  readonly when: FieldCondition | null;
  readonly read: FieldReader | null;
  /** For enumerated fields: true when the value is a reserved encoding. */
  readonly isReserved: ((value: number) => boolean) | null;
}

export type Slot = FieldSpec | readonly FieldSpec[];

export interface Variant {
  readonly when: ((iss: number, iss2: number) => boolean) | null;
  readonly slots: readonly Slot[];
}

export interface Layout {
  readonly iss: readonly Variant[];
  /** ISS2 layout, or null when ISS2 is RES0 for the class. */
  readonly iss2: readonly Variant[] | null;
}

interface FieldOptions {
  readonly when?: FieldCondition;
  readonly read?: FieldReader;
  readonly zeroWhenIdle?: boolean;
}

/** The JSON key of a field: its architectural name in lower case, punctuation dropped (`Bit[1]` -> `bit1`). */
export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]/g, '');
}

/** A field row: name, bit range [hi:lo] inside ISS/ISS2, title, and how to read it. */
export function field(name: string, hi: number, lo: number, title: string, opts: FieldOptions = {}): FieldSpec {
  const width = hi - lo + 1;
  const listed = opts.read ? ENUMERATIONS.get(opts.read) : undefined;
  return {
    name,
    title,
    hi,
    lo,
    key: fieldKey(name),
    jsonKey: fragment(`"${fieldKey(name)}":`),
    mask: width >= 31 ? 0x7fffffff : (1 << width) - 1,
    res0: false,
    zeroWhenIdle: opts.zeroWhenIdle ?? false,
    when: opts.when ?? null,
    read: opts.read ?? null,
    isReserved: listed ? (v) => listed[v] === undefined : null,
  };
}

/** A RES0 filler over bits [hi:lo]. */
export function res0(hi: number, lo: number): FieldSpec {
  return { ...field('RES0', hi, lo, 'Reserved, RES0'), res0: true };
}

export function variant(slots: readonly Slot[], when: ((iss: number, iss2: number) => boolean) | null = null): Variant {
  return { when, slots };
}

export function layout(iss: readonly Slot[], iss2: readonly Slot[] | null = null): Layout {
  return { iss: [variant(iss)], iss2: iss2 ? [variant(iss2)] : null };
}

/** Reads a one-bit field: the text for 0 and for 1. */
export function bit(zero: string, one: string): FieldReader {
  return (v) => (v ? one : zero);
}

// Readers made by choices(), with their value lists: a value not listed is a reserved encoding.
const ENUMERATIONS = new WeakMap<FieldReader, Readonly<Record<number, string>>>();

/** Reads an enumerated field; values not listed read as `reserved` (and are flagged). */
export function choices(values: Readonly<Record<number, string>>): FieldReader {
  const reader: FieldReader = (v) => values[v] ?? 'reserved';
  ENUMERATIONS.set(reader, values);
  return reader;
}

/** Reads a register number field (`X5`, `XZR` for 31 where `zr` says so). */
export function register(zr = false): FieldReader {
  return (v) => (zr && v === 31 ? 'XZR/WZR' : `X${v}/W${v}`);
}

/** Selects the variant that applies to this ISS/ISS2. */
export function selectVariant(variants: readonly Variant[], iss: number, iss2: number): Variant {
  for (const v of variants) if (v.when === null || v.when(iss, iss2)) return v;
  return variants[variants.length - 1] as Variant;
}

/** Selects the field of a slot for this value: the first meaningful alternative, else the last one. */
export function selectField(slot: Slot, iss: number, iss2: number, ec: number): FieldSpec {
  if (!Array.isArray(slot)) return slot as FieldSpec;
  const list = slot as readonly FieldSpec[];
  for (const f of list) if (f.when === null || f.when(iss, iss2, ec) === null) return f;
  return list[list.length - 1] as FieldSpec;
}

/** The condition on CV for the COND field of trapped AArch32 instructions. */
export const whenCv: FieldCondition = (iss) => (iss & 0x1000000 ? null : 'CV=0: the condition code is not valid');
