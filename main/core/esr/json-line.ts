// The batch path: one ESR (as two 32-bit halves) -> its `--json` line, without building the tree.
// It walks the same layouts and calls the same checks as decodeEsr(), and its output is byte-identical to
// JSON.stringify(esrToJson(decodeEsr(value, { el, kernel }))) (test/core/esr/json-line.test.ts proves it
// over random values); only the per-class and per-code JSON fragments are precomputed.

import { classWarnings, fscWarning, mayHaveClassWarnings } from './checks';
import { EXCEPTION_CLASSES, type EcRow } from './exception-classes';
import { FSC_SOURCES, type FscSource } from './fsc-source';
import { fieldWarning } from './fields';
import { parseKernelVersion } from './kernel-names';
import { describeKvm } from './kvm';
import { selectField, selectVariant, type Variant } from './layout';
import { LAYOUTS } from './layouts/index';
import { describeBrk } from './brk';
import { describeSysregTrap, genericSysregName, sysregName } from './sysregs';
import type { EsrEl, FscInfo } from './types';

// Per EC: `,"ec_name":…,"ec_description":…` (JSON-escaped once).
const EC_FRAGMENTS: readonly string[] = EXCEPTION_CLASSES.map((row: EcRow) => `,"ec_name":${JSON.stringify(row.name)},"ec_description":${JSON.stringify(row.description)}`);

// FscInfo -> its `"fsc"` JSON, computed once per table row (rows are shared objects).
const FSC_JSON = new WeakMap<FscInfo, string>();
function fscJson(fsc: FscInfo): string {
  let s = FSC_JSON.get(fsc);
  if (s === undefined) {
    s = JSON.stringify({ code: fsc.code, meaning: fsc.meaning, type: fsc.type, level: fsc.level, reserved: fsc.reserved });
    FSC_JSON.set(fsc, s);
  }
  return s;
}

const WHAT: readonly string[] = EXCEPTION_CLASSES.map((r) => `EC 0x${r.code.toString(16).padStart(2, '0')}`);

// Warnings of the value being encoded, allocated only when there is one (most values have none).
let pending: string[] | null = null;

function warn(w: string | null): void {
  if (w === null) return;
  if (pending === null) pending = [];
  pending.push(w);
}

/** Appends the meaningful fields of one word to `out` (`"key":value` pairs); returns the new text. */
function appendFields(out: string, variants: readonly Variant[], word: number, offset: number, iss: number, iss2: number, ec: number): string {
  const v = selectVariant(variants, iss, iss2);
  for (const slot of v.slots) {
    const spec = selectField(slot, iss, iss2, ec);
    const value = (word >>> spec.lo) & spec.mask;
    const reason = spec.res0 || spec.when === null ? null : spec.when(iss, iss2, ec);
    if (spec.res0 ? value !== 0 : (reason !== null ? spec.zeroWhenIdle && value !== 0 : spec.isReserved !== null)) {
      warn(fieldWarning(spec, value, reason, offset, WHAT[ec] as string));
    }
    if (!spec.res0 && reason === null) out += (out.length > 1 ? ',"' : '"') + spec.key + '":' + value;
  }
  return out;
}

function sysregJsonName(iss: number): string {
  const op0 = (iss >>> 20) & 3;
  const op2 = (iss >>> 17) & 7;
  const op1 = (iss >>> 14) & 7;
  const crn = (iss >>> 10) & 0xf;
  const crm = (iss >>> 1) & 0xf;
  return JSON.stringify(sysregName(op0, op1, crn, crm, op2) ?? genericSysregName(op0, op1, crn, crm, op2));
}

// Number#toString(16) is slow in V8; bytes through tables are not.
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX1: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16));

/** A 32-bit value as hex digits: without leading zeros, or padded to 8 digits. */
function hex32(v: number, pad: boolean): string {
  const b3 = v >>> 24;
  const b2 = (v >>> 16) & 0xff;
  const b1 = (v >>> 8) & 0xff;
  const b0 = v & 0xff;
  if (pad || b3) return (pad ? HEX2[b3] : HEX1[b3]) + (HEX2[b2] as string) + (HEX2[b1] as string) + (HEX2[b0] as string);
  if (b2) return (HEX1[b2] as string) + (HEX2[b1] as string) + (HEX2[b0] as string);
  if (b1) return (HEX1[b1] as string) + (HEX2[b0] as string);
  return HEX1[b0] as string;
}

function hexOf(lo: number, hi: number): string {
  return hi ? hex32(hi, false) + hex32(lo, true) : hex32(lo, false);
}

/**
 * The `--json` line of one ESR given as its low and high 32-bit halves (unsigned), for a value read from
 * `el` (or unknown) under `kernel` (or the newest modelled). No FAR/HPFAR: callers with addresses use
 * decodeEsr().
 */
export function esrJsonLine(lo: number, hi: number, el: EsrEl | null = null, kernel?: string): string {
  lo >>>= 0;
  hi >>>= 0;
  const ec = lo >>> 26;
  const il = (lo >>> 25) & 1;
  const iss = lo & 0x1ffffff;
  const iss2 = hi & 0xffffff;
  const row = EXCEPTION_CLASSES[ec] as EcRow;
  const layout = LAYOUTS[row.layout];
  pending = mayHaveClassWarnings(row, el, il, iss, iss2, hi, layout.iss2 !== null) ? classWarnings(row, el, il, iss, iss2, hi >>> 24, layout.iss2 !== null) : null;
  if (pending !== null && pending.length === 0) pending = null;
  let fields = appendFields('{', layout.iss, iss, 0, iss, iss2, ec);
  if (layout.iss2) fields = appendFields(fields, layout.iss2, iss2, 32, iss, iss2, ec);
  const fsc = FSC_SOURCES[row.layout];
  const code = fsc ? (row.layout === 'serror' && iss & 0x1000000 ? null : (fsc.rows[iss & 0x3f] as FscInfo)) : null;
  if (code && code.reserved) warn(fscWarning(code, (fsc as FscSource).label));
  const warnings = pending;
  pending = null;
  const sysreg = ec === 0x18 || ec === 0x14 ? sysregJsonName(iss) : 'null';
  let kvm = 'null';
  if (el === 2) {
    const esr = (BigInt(hi) << 32n) | BigInt(lo);
    const sys = ec === 0x18 || ec === 0x14 ? describeSysregTrap(iss, ec === 0x14) : null;
    const brk = ec === 0x3c ? describeBrk(iss) : null;
    kvm = JSON.stringify(describeKvm({ esr, ec, iss, version: parseKernelVersion(kernel), ...(kernel !== undefined ? { kernel } : {}), sysreg: sys, brk }));
  }
  return (
    '{"esr":"0x' + hexOf(lo, hi) + '","ec":' + ec + ',"il":' + il + (EC_FRAGMENTS[ec] as string) +
    ',"iss":' + iss + ',"iss2":' + iss2 + ',"fields":' + fields + '},"fsc":' + (code ? fscJson(code) : 'null') +
    ',"sysreg_name":' + sysreg + ',"warnings":' + (warnings ? JSON.stringify(warnings) : '[]') + ',"kvm":' + kvm + '}'
  );
}
