// An event's text: its report plugin if it has one (plugins.ts), else its print fmt (print-eval.ts); an
// event whose format cannot be evaluated prints "[FAILED TO PARSE]" and its fields, as libtraceevent's
// tep_print_event does for a failed event.
import type { EventFormat, FieldLayout } from './format';
import { evaluatePrintFmt, type RenderContext } from './print-eval';
import { PLUGINS } from './plugins';
import { readFieldNumber, readFieldString, type RecordData } from './record';
import type { Fields } from '../ftrace/kvm-events';

export function renderEventText(f: EventFormat, r: RecordData, ctx: RenderContext): string {
  const plugin = PLUGINS[`${f.system}:${f.name}`];
  if (plugin !== undefined) return plugin(f, r, ctx);
  try {
    return evaluatePrintFmt(f, r, ctx);
  } catch {
    return '[FAILED TO PARSE]' + f.fields.map((fl) => ` ${fl.name}=${fieldText(fl, r)}`).join('');
  }
}

function fieldText(fl: FieldLayout, r: RecordData): string {
  if (fl.isString) return readFieldString(r, fl);
  if (fl.arrayLength !== null || fl.dataLoc || fl.relLoc) return 'ARRAY';
  const v = readFieldNumber(r, fl);
  return fl.signed ? v.toString() : '0x' + v.toString(16);
}

/**
 * An event's fields by name, from the record (no text parsing): numbers wider than 32 bits and pointers as
 * canonical hex strings, smaller numbers as numbers, strings as strings.
 */
export function recordFields(f: EventFormat, r: RecordData): Fields {
  const out: Record<string, string | number | boolean> = {};
  for (const fl of f.fields) {
    if (fl.isString) out[fl.name] = readFieldString(r, fl);
    else if (fl.arrayLength !== null || fl.dataLoc || fl.relLoc) continue;
    else {
      const v = readFieldNumber(r, fl);
      // A C bool is a JSON boolean, as the text parsers give it (kvm_sys_access is_write).
      if (fl.type === 'bool' || fl.type === '_Bool') out[fl.name] = v !== 0n;
      else out[fl.name] = fl.size > 4 || fl.isPointer ? '0x' + BigInt.asUintN(fl.size * 8, v).toString(16) : Number(v);
    }
  }
  return out;
}
