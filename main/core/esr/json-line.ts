// The batch path: one ESR (as two 32-bit halves) -> its `--json` line as UTF-8 bytes, without building the
// tree or any per-value strings. It walks the same layouts and calls the same checks as decodeEsr(), and
// its output is byte-identical to JSON.stringify(esrToJson(decodeEsr(value, { el, kernel }))) + "\n"
// (test/core/esr/properties.test.ts proves it over arbitrary values); only the per-class and per-code
// JSON fragments are precomputed.

import { describeBrk } from './brk';
import { ByteWriter, fragment } from './byte-writer';
import { classWarnings, fscWarning, mayHaveClassWarnings } from './checks';
import { EXCEPTION_CLASSES, type EcRow } from './exception-classes';
import { fieldWarning } from './fields';
import { FSC_SOURCES } from './fsc-source';
import { parseKernelVersionCached } from '../kernel-version';
import { describeKvm } from './kvm';
import { selectField, selectVariant, type Variant } from './layout';
import { LAYOUTS } from './layouts/index';
import { describeSysregTrap, encodeSysreg, genericSysregName, sysregName } from './sysregs';
import type { EsrEl, FscInfo } from './types';

// Per EC and IL: `","ec":…,"il":…,"ec_name":…,"ec_description":…,"iss":` (JSON-escaped once).
const EC_PARTS: readonly Uint8Array[] = EXCEPTION_CLASSES.flatMap((row: EcRow) =>
  [0, 1].map((il) => fragment(`","ec":${row.code},"il":${il},"ec_name":${JSON.stringify(row.name)},"ec_description":${JSON.stringify(row.description)},"iss":`)),
);
const WHAT: readonly string[] = EXCEPTION_CLASSES.map((r) => `EC 0x${r.code.toString(16).padStart(2, '0')}`);

const OPEN = fragment('{"esr":"0x');
const ISS2 = fragment(',"iss2":');
const FIELDS = fragment(',"fields":{');
const FSC = fragment('},"fsc":');
const NULL = fragment('null');
const SYSREG = fragment(',"sysreg_name":');
const WARNINGS = fragment(',"warnings":');
const EMPTY = fragment('[]');
const KVM = fragment(',"kvm":');
const CLOSE = fragment('}\n');
const COMMA = 44;

// FscInfo rows are shared objects: their JSON is made once per row.
const FSC_BYTES = new WeakMap<FscInfo, Uint8Array>();
function fscBytes(fsc: FscInfo): Uint8Array {
  let b = FSC_BYTES.get(fsc);
  if (b === undefined) {
    b = fragment(JSON.stringify({ code: fsc.code, meaning: fsc.meaning, type: fsc.type, level: fsc.level, reserved: fsc.reserved }));
    FSC_BYTES.set(fsc, b);
  }
  return b;
}

// Sysreg name JSON by 16-bit encoding, made on first use.
const SYSREG_BYTES = new Map<number, Uint8Array>();
function sysregBytes(iss: number): Uint8Array {
  const op0 = (iss >>> 20) & 3;
  const op2 = (iss >>> 17) & 7;
  const op1 = (iss >>> 14) & 7;
  const crn = (iss >>> 10) & 0xf;
  const crm = (iss >>> 1) & 0xf;
  const key = encodeSysreg(op0, op1, crn, crm, op2);
  let b = SYSREG_BYTES.get(key);
  if (b === undefined) {
    b = fragment(JSON.stringify(sysregName(op0, op1, crn, crm, op2) ?? genericSysregName(op0, op1, crn, crm, op2)));
    SYSREG_BYTES.set(key, b);
  }
  return b;
}

// Warnings of the value being written, allocated only when there is one (most values have none).
let pending: string[] | null = null;

function warn(w: string | null): void {
  if (w === null) return;
  if (pending === null) pending = [];
  pending.push(w);
}

/** Writes the meaningful fields of one word (`"key":value` pairs); returns whether any was written. */
function writeFields(w: ByteWriter, any: boolean, variants: readonly Variant[], word: number, offset: number, iss: number, iss2: number, ec: number): boolean {
  const v = selectVariant(variants, iss, iss2);
  for (const slot of v.slots) {
    const spec = selectField(slot, iss, iss2, ec);
    const value = (word >>> spec.lo) & spec.mask;
    const reason = spec.res0 || spec.when === null ? null : spec.when(iss, iss2, ec);
    if (spec.res0 ? value !== 0 : reason !== null ? spec.zeroWhenIdle && value !== 0 : spec.isReserved !== null) {
      warn(fieldWarning(spec, value, reason, offset, WHAT[ec] as string));
    }
    if (spec.res0 || reason !== null) continue;
    if (any) w.byte(COMMA);
    w.bytes(spec.jsonKey);
    w.uint(value);
    any = true;
  }
  return any;
}

function writeKvm(w: ByteWriter, lo: number, hi: number, ec: number, iss: number, kernel: string | undefined): void {
  const esr = (BigInt(hi) << 32n) | BigInt(lo);
  const sysreg = ec === 0x18 || ec === 0x14 ? describeSysregTrap(iss, ec === 0x14) : null;
  const brk = ec === 0x3c ? describeBrk(iss) : null;
  const view = describeKvm({ esr, ec, iss, version: parseKernelVersionCached(kernel), ...(kernel !== undefined ? { kernel } : {}), sysreg, brk });
  w.text(JSON.stringify(view));
}

/**
 * Writes the `--json` line (with its newline) of one ESR given as its low and high 32-bit halves, for a
 * value read from `el` (or unknown) under `kernel` (or the newest modelled). No FAR/HPFAR: callers with
 * addresses use decodeEsr().
 */
export function writeEsrJson(w: ByteWriter, lo: number, hi: number, el: EsrEl | null = null, kernel?: string): void {
  lo >>>= 0;
  hi >>>= 0;
  const ec = lo >>> 26;
  const il = (lo >>> 25) & 1;
  const iss = lo & 0x1ffffff;
  const iss2 = hi & 0xffffff;
  const row = EXCEPTION_CLASSES[ec] as EcRow;
  const layout = LAYOUTS[row.layout];
  const hasIss2 = layout.iss2 !== null;
  pending = mayHaveClassWarnings(row, el, il, iss, iss2, hi, hasIss2) ? classWarnings(row, el, il, iss, iss2, hi >>> 24, hasIss2) : null;
  if (pending !== null && pending.length === 0) pending = null;

  w.bytes(OPEN);
  if (hi) w.hex32(hi, false);
  w.hex32(lo, hi !== 0);
  w.bytes(EC_PARTS[ec * 2 + il] as Uint8Array);
  w.uint(iss);
  w.bytes(ISS2);
  w.uint(iss2);
  w.bytes(FIELDS);
  const any = writeFields(w, false, layout.iss, iss, 0, iss, iss2, ec);
  if (layout.iss2) writeFields(w, any, layout.iss2, iss2, 32, iss, iss2, ec);
  w.bytes(FSC);
  const source = FSC_SOURCES[row.layout];
  const fsc = source && !(row.layout === 'serror' && iss & 0x1000000) ? (source.rows[iss & 0x3f] as FscInfo) : null;
  if (fsc && fsc.reserved) warn(fscWarning(fsc, source?.label ?? 'FSC'));
  w.bytes(fsc ? fscBytes(fsc) : NULL);
  w.bytes(SYSREG);
  w.bytes(ec === 0x18 || ec === 0x14 ? sysregBytes(iss) : NULL);
  w.bytes(WARNINGS);
  if (pending === null) w.bytes(EMPTY);
  else w.text(JSON.stringify(pending));
  pending = null;
  w.bytes(KVM);
  if (el === 2) writeKvm(w, lo, hi, ec, iss, kernel);
  else w.bytes(NULL);
  w.bytes(CLOSE);
}

const scratch = new ByteWriter(1 << 12);
const utf8 = new TextDecoder();

/** The `--json` line of one ESR as a string (without the newline); see writeEsrJson(). */
export function esrJsonLine(lo: number, hi: number, el: EsrEl | null = null, kernel?: string): string {
  scratch.pos = 0;
  writeEsrJson(scratch, lo, hi, el, kernel);
  return utf8.decode(scratch.buf.subarray(0, scratch.pos - 1));
}
