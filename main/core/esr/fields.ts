// Building the field tree of ISS / ISS2 from a layout, and the warnings that single fields raise.
// Shared by the tree decode (decode.ts) and the batch JSON path (json-line.ts), so both say the same.

import { selectField, selectVariant, type FieldSpec, type Variant } from './layout';
import type { EsrField } from './types';

const hex = (v: number): string => `0x${v.toString(16)}`;

/** Absolute bit range text (`[12:11]`, `[9]`) for a field at `offset` (0 for ISS, 32 for ISS2). */
export function bitRange(spec: FieldSpec, offset: number): string {
  return spec.hi === spec.lo ? `[${spec.hi + offset}]` : `[${spec.hi + offset}:${spec.lo + offset}]`;
}

/**
 * The warning one field raises for this value, or null: a set RES0 filler, a set field that is not
 * meaningful here and must then read as zero, or a reserved encoding of an enumerated field.
 */
export function fieldWarning(spec: FieldSpec, value: number, reason: string | null, offset: number, what: string): string | null {
  if (spec.res0) return value ? `bits ${bitRange(spec, offset)} are RES0 for ${what} but read ${hex(value)}` : null;
  if (reason !== null) return spec.zeroWhenIdle && value ? `${spec.name} (bits ${bitRange(spec, offset)}) reads ${hex(value)} but is not meaningful here (${reason}): expected 0` : null;
  if (spec.isReserved && spec.isReserved(value)) return `${spec.name} = ${hex(value)} is a reserved encoding`;
  return null;
}

function meaningOf(spec: FieldSpec, value: number, reason: string | null, iss: number, iss2: number, ec: number): string {
  if (spec.res0) return value ? `RES0, but reads ${hex(value)}` : 'RES0';
  if (reason !== null) return value ? `not meaningful (${reason}); reads ${hex(value)}` : `not meaningful (${reason})`;
  return spec.read ? spec.read(value, iss, iss2, ec) : String(value);
}

export interface FieldWalk {
  readonly fields: EsrField[];
  readonly warnings: string[];
}

/**
 * Decodes the fields of one variant over `word` (ISS or ISS2). `offset` is the ESR bit of the word's bit 0.
 * Warnings are appended to `warnings`.
 */
export function walkFields(variant: Variant, word: number, offset: number, iss: number, iss2: number, ec: number, what: string, warnings: string[]): EsrField[] {
  const out: EsrField[] = [];
  for (const slot of variant.slots) {
    const spec = selectField(slot, iss, iss2, ec);
    const value = (word >>> spec.lo) & spec.mask;
    const reason = spec.res0 || spec.when === null ? null : spec.when(iss, iss2, ec);
    const warning = fieldWarning(spec, value, reason, offset, what);
    if (warning) warnings.push(warning);
    out.push({
      name: spec.name,
      hi: spec.hi + offset,
      lo: spec.lo + offset,
      value,
      title: spec.title,
      meaning: meaningOf(spec, value, reason, iss, iss2, ec),
      meaningful: !spec.res0 && reason === null,
      reason: spec.res0 ? 'RES0' : reason,
      children: [],
    });
  }
  return out;
}

/** Decodes ISS (or ISS2) with the variant of the layout that applies. */
export function decodeWord(variants: readonly Variant[], word: number, offset: number, iss: number, iss2: number, ec: number, what: string, warnings: string[]): EsrField[] {
  return walkFields(selectVariant(variants, iss, iss2), word, offset, iss, iss2, ec, what, warnings);
}

/** A leaf field of the top level (EC, IL, RES0). */
export function leaf(name: string, hi: number, lo: number, value: number, title: string, meaning: string, meaningful = true, reason: string | null = null): EsrField {
  return { name, hi, lo, value, title, meaning, meaningful, reason, children: [] };
}
