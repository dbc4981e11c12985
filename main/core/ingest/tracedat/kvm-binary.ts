// What the summaries need from KVM records of a trace.dat, read from the record's fields instead of its
// text: kvm_exit's ret and esr_ec with their names (from the __print_symbolic tables of kvm_exit's own
// print fmt, i.e. the traced kernel's kvm_arm_exception_type and kvm_arm_exception_class), and the fields of
// kvm_guest_fault / kvm_mmio_nisv (arch/arm64/kvm/trace_arm.h; names as kvm-events.ts parses them from text).
import type { BinaryKvm } from '../ftrace/assembler';
import type { EventFormat } from './format';
import type { Expr } from './print-fmt';
import { readUnsigned, type RecordData } from './record';
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

export type KvmDecoder = (r: RecordData, text: () => string) => BinaryKvm | null;

/** A decoder for the KVM events the summaries read, or null for any other event. */
export function kvmDecoderFor(f: EventFormat): KvmDecoder | null {
  if (f.name === 'kvm_exit') {
    const ret = f.byName.get('ret');
    const ec = f.byName.get('esr_ec');
    if (ret === undefined || ec === undefined) return null;
    const rets = symbolTable(f, 'ret');
    const ecs = symbolTable(f, 'esr_ec');
    return (r) => {
      const retV = readUnsigned(r, ret.offset, ret.size);
      const ecV = readUnsigned(r, ec.offset, ec.size);
      return {
        exit: {
          ret: rets.get(BigInt.asIntN(ret.size * 8, retV)) ?? rets.get(retV) ?? `0x${retV.toString(16)}`,
          ec: Number(ecV),
          ecName: ecs.get(ecV) ?? `0x${ecV.toString(16)}`,
        },
      };
    };
  }
  if (f.name === 'kvm_guest_fault' || f.name === 'kvm_mmio_nisv') {
    return (r, text) => ({ fields: recordFields(f, r), text });
  }
  return null;
}
