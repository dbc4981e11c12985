// The JSON shape of a decode, as `faultline decode --json` prints it (one object per line). Scripts rely
// on it: keys and their order are part of the contract (issue 3).

import { fieldKey } from './layout';
import type { EsrDecode, EsrField, FscType, KvmView } from './types';

export interface EsrFscJson {
  readonly code: number;
  readonly meaning: string;
  readonly type: FscType;
  readonly level: number | null;
  readonly reserved: boolean;
}

export interface EsrJson {
  /** Lower-case hex, `0x` prefix, no leading zeros. */
  readonly esr: string;
  readonly ec: number;
  readonly il: number;
  /** Linux ESR_ELx_EC_* suffix, null for an unallocated EC. */
  readonly ec_name: string | null;
  readonly ec_description: string;
  readonly iss: number;
  readonly iss2: number;
  /** Meaningful fields only: architectural name in lower case -> raw value. ISS fields, then ISS2 fields. */
  readonly fields: Readonly<Record<string, number>>;
  readonly fsc: EsrFscJson | null;
  readonly sysreg_name: string | null;
  readonly warnings: readonly string[];
  readonly kvm: KvmView | null;
}

function collectFields(tree: readonly EsrField[]): Record<string, number> {
  const out: Record<string, number> = {};
  const iss = tree.find((f) => f.name === 'ISS');
  const iss2 = tree.find((f) => f.name === 'ISS2');
  for (const parent of [iss, iss2]) {
    for (const f of parent?.children ?? []) {
      if (f.meaningful && f.name !== 'RES0') out[fieldKey(f.name)] = f.value;
    }
  }
  return out;
}

/** The `--json` object of a decode. */
export function esrToJson(d: EsrDecode): EsrJson {
  return {
    esr: `0x${d.esr.toString(16)}`,
    ec: d.ec,
    il: d.il,
    ec_name: d.ecInfo.name,
    ec_description: d.ecInfo.description,
    iss: d.iss,
    iss2: d.iss2,
    fields: collectFields(d.fields),
    fsc: d.fsc ? { code: d.fsc.code, meaning: d.fsc.meaning, type: d.fsc.type, level: d.fsc.level, reserved: d.fsc.reserved } : null,
    sysreg_name: d.sysreg ? d.sysreg.name : null,
    warnings: d.warnings,
    kvm: d.kvm,
  };
}
