// What the summaries need from KVM records of a trace.dat, read from the record's fields instead of its
// text: kvm_exit's ret and esr_ec with their names (from the __print_symbolic tables of kvm_exit's own
// print fmt, i.e. the traced kernel's kvm_arm_exception_type and kvm_arm_exception_class), and the grouping
// key and fields of kvm_guest_fault / kvm_mmio_nisv (arch/arm64/kvm/trace_arm.h; field names as
// kvm-events.ts parses them from text). Decoders reuse their result objects: nothing is allocated per
// record on the common path (a guest stuck on one access repeats the same key).
import type { Fields } from '../ftrace/kvm-events';
import type { FaultKind } from '../fault-record';
import type { EventFormat, FieldLayout } from './format';
import type { Expr } from './print-fmt';
import type { DatRecord } from './reader';
import { recordData } from './record';
import { recordFields } from './render';

/** The value -> name table of the __print_symbolic over field `field` in a format's print fmt. */
export function symbolTable(f: EventFormat, field: string): Map<bigint, string> {
  const out = new Map<bigint, string>();
  if ('error' in f.print) return out;
  const visit = (e: Expr): void => {
    if (e.k === 'call' && e.name === '__print_symbolic' && e.args[0]?.k === 'field' && e.args[0].name === field) {
      for (const entry of e.args.slice(1)) {
        if (entry.k === 'brace' && entry.items[0]?.k === 'num' && entry.items[1]?.k === 'str' && !out.has(entry.items[0].v)) {
          out.set(entry.items[0].v, entry.items[1].v);
        }
      }
    }
    if (e.k === 'call') e.args.forEach(visit);
    else if (e.k === 'binary') [e.a, e.b].forEach(visit);
    else if (e.k === 'cond') [e.c, e.t, e.f].forEach((x) => x && visit(x));
    else if (e.k === 'unary' || e.k === 'cast') visit(e.e);
  };
  f.print.args.forEach(visit);
  return out;
}

/** What a binary reader decoded for the KVM events the summaries need (objects reused between records). */
export interface BinaryKvm {
  readonly exit?: { readonly ret: string; readonly ec: number; readonly ecName: string };
  /** A fault's grouping key (kind, ESR, IPA page, PC), read from the record. */
  readonly faultKey?: string;
  /** The fault's fields, for its group's record (called once per group, while the record is current). */
  readonly fields?: () => Fields;
  /** The event's text as trace-cmd prints it, for the same record. */
  readonly text?: () => string;
}

export type KvmDecoder = (rec: DatRecord, text: () => string) => BinaryKvm | null;

/** A field's value as a number (exact up to 2^53; names and keys only). */
function num(rec: DatRecord, f: FieldLayout, le: boolean): number {
  const at = rec.start + f.offset;
  if (at + f.size > rec.end) return 0;
  const v = rec.view;
  switch (f.size) {
    case 1:
      return v.getUint8(at);
    case 2:
      return v.getUint16(at, le);
    case 4:
      return v.getUint32(at, le);
    default:
      return v.getUint32(at + (le ? 4 : 0), le) * 4294967296 + v.getUint32(at + (le ? 0 : 4), le);
  }
}

function exitDecoder(f: EventFormat, ret: FieldLayout, ec: FieldLayout, le: boolean): KvmDecoder {
  const rets = new Map([...symbolTable(f, 'ret')].map(([k, v]) => [Number(BigInt.asIntN(32, k)), v]));
  const ecs = new Map([...symbolTable(f, 'esr_ec')].map(([k, v]) => [Number(k), v]));
  const exit = { ret: '', ec: 0, ecName: '' };
  const out: BinaryKvm = { exit };
  return (rec) => {
    const r = num(rec, ret, le);
    const retValue = ret.signed && ret.size === 4 ? r | 0 : r;
    exit.ret = rets.get(retValue) ?? `0x${r.toString(16)}`;
    exit.ec = num(rec, ec, le);
    exit.ecName = ecs.get(exit.ec) ?? `0x${exit.ec.toString(16)}`;
    return out;
  };
}

/** The 32-bit words of a 64-bit (or smaller) field, high then low. */
function words(rec: DatRecord, f: FieldLayout, le: boolean, into: number[], at: number): void {
  const o = rec.start + f.offset;
  if (o + f.size > rec.end) {
    into[at] = 0;
    into[at + 1] = 0;
  } else if (f.size === 8) {
    into[at] = rec.view.getUint32(o + (le ? 4 : 0), le);
    into[at + 1] = rec.view.getUint32(o + (le ? 0 : 4), le);
  } else {
    into[at] = 0;
    into[at + 1] = num(rec, f, le);
  }
}

function faultDecoder(f: EventFormat, kind: FaultKind, esr: FieldLayout, ipa: FieldLayout, pc: FieldLayout, le: boolean): KvmDecoder {
  const last = [-1, -1, -1, -1, -1, -1];
  const cur = [0, 0, 0, 0, 0, 0];
  let key = '';
  let current: DatRecord | null = null;
  let textOf: () => string = () => '';
  const fields = (): ReturnType<typeof recordFields> =>
    current === null ? {} : recordFields(f, recordData(current.page.subarray(current.start, current.end), le, 8));
  const out = { faultKey: '', fields, text: () => textOf() };
  // Keys built so far, by a hash of their words: a guest going back and forth between a few accesses builds
  // (and the fault grouper hashes) each key string once. Bounded: cleared when it grows large.
  const keys = new Map<number, { readonly w: number[]; readonly key: string }[]>();
  let cached = 0;
  const cachedKey = (w: number[]): string => {
    const h = (w[0]! ^ Math.imul(w[1]!, 31) ^ Math.imul(w[2]!, 961) ^ Math.imul(w[3]!, 29791) ^ Math.imul(w[4]!, 923521) ^ Math.imul(w[5]!, 28629151)) | 0;
    const bucket = keys.get(h);
    if (bucket !== undefined) {
      for (const k of bucket) if (k.w[0] === w[0] && k.w[1] === w[1] && k.w[2] === w[2] && k.w[3] === w[3] && k.w[4] === w[4] && k.w[5] === w[5]) return k.key;
    }
    if (cached >= 4096) {
      keys.clear();
      cached = 0;
    }
    const entry = { w: w.slice(), key: `${kind}|${w[0]}:${w[1]}|${w[2]}:${w[3]}|${w[4]}:${w[5]}` };
    const b = keys.get(h);
    if (b === undefined) keys.set(h, [entry]);
    else b.push(entry);
    cached++;
    return entry.key;
  };
  return (rec, text) => {
    current = rec;
    textOf = text;
    words(rec, esr, le, cur, 0);
    words(rec, ipa, le, cur, 2);
    cur[3] = Math.floor(cur[3]! / 4096); // the IPA's page
    words(rec, pc, le, cur, 4);
    let same = true;
    for (let i = 0; i < 6; i++) if (cur[i] !== last[i]) same = false;
    if (!same) {
      key = cachedKey(cur);
      for (let i = 0; i < 6; i++) last[i] = cur[i]!;
    }
    out.faultKey = key;
    return out;
  };
}

/** A decoder for the KVM events the summaries read, or null for any other event. */
export function kvmDecoderFor(f: EventFormat, littleEndian: boolean): KvmDecoder | null {
  const field = (n: string): FieldLayout | undefined => f.byName.get(n);
  if (f.name === 'kvm_exit') {
    const ret = field('ret');
    const ec = field('esr_ec');
    return ret === undefined || ec === undefined ? null : exitDecoder(f, ret, ec, littleEndian);
  }
  if (f.name === 'kvm_guest_fault' || f.name === 'kvm_mmio_nisv') {
    const guest = f.name === 'kvm_guest_fault';
    const esr = field(guest ? 'hsr' : 'esr');
    const ipa = field('ipa');
    const pc = field('vcpu_pc');
    if (esr === undefined || ipa === undefined || pc === undefined) return null;
    return faultDecoder(f, guest ? 'kvm_guest_fault' : 'kvm_nisv', esr, ipa, pc, littleEndian);
  }
  return null;
}
