// A fault as the list, the timeline and the detail show it: the API's row reduced to what they need, with
// the grouping keys (kind, EC, fault code, IPA page, device) computed once.
import { assertNever } from './assert-never';

export interface FaultItem {
  readonly id: number;
  readonly kind: string;
  readonly esr: string | null;
  readonly ec: number | null;
  readonly fsc: number | null;
  readonly ipa: string | null;
  readonly ipaPage: string | null;
  /** The PCI device (BDF) whose BAR holds the IPA, when the bundle says. */
  readonly device: string | null;
  /** Time relative to the timeline's origin (ns), or null when the record has none. */
  readonly t: number | null;
  readonly timeLabel: string;
  readonly summary: string;
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  readonly count: number;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly comm: string | null;
}

export const GROUPINGS = ['none', 'kind', 'ec', 'fsc', 'ipa-page', 'device'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const GROUPING_LABEL: Readonly<Record<Grouping, string>> = {
  none: 'no grouping',
  kind: 'kind',
  ec: 'exception class',
  fsc: 'fault code',
  'ipa-page': 'IPA page',
  device: 'device',
};

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** The group key of an item for a grouping (null: the item has no such value). */
export function groupKey(item: FaultItem, g: Grouping): string | null {
  switch (g) {
    case 'none':
      return null;
    case 'kind':
      return item.kind;
    case 'ec':
      return item.ec === null ? null : hex2(item.ec);
    case 'fsc':
      return item.fsc === null ? null : hex2(item.fsc);
    case 'ipa-page':
      return item.ipaPage;
    case 'device':
      return item.device;
    default:
      return assertNever(g);
  }
}

/** The 4 KiB page of a hex address: `0x8000001234` -> `0x8000001000`. */
export function pageOf(hex: string | null): string | null {
  if (hex === null) return null;
  try {
    return `0x${(BigInt(hex) & ~0xfffn).toString(16)}`;
  } catch {
    return null;
  }
}

/** EC [31:26] and, for aborts (EC 0x20/0x21/0x24/0x25), the fault status code [5:0] of an ESR. */
export function esrParts(esr: string | null): { ec: number | null; fsc: number | null } {
  if (esr === null) return { ec: null, fsc: null };
  let v: bigint;
  try {
    v = BigInt(esr);
  } catch {
    return { ec: null, fsc: null };
  }
  const ec = Number((v >> 26n) & 0x3fn);
  const abort = ec === 0x20 || ec === 0x21 || ec === 0x24 || ec === 0x25;
  return { ec, fsc: abort ? Number(v & 0x3fn) : null };
}
