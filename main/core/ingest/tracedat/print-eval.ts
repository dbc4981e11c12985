// Evaluates an event's print fmt on one record, as libtraceevent's pretty_print / print_str_arg /
// eval_num_arg do (src/event-parse.c), so that the text matches `trace-cmd report`:
//  - __print_symbolic: the first entry whose value equals, else "0x%llx"; __print_flags: each set flag with
//    the delimiter, leftover bits as "0x%llx"; table values that are names are looked up in libtraceevent's
//    small flags[] table (HI_SOFTIRQ .. RCU_SOFTIRQ, HRTIMER_NORESTART/RESTART), any other name is -1.
//  - %p prints as glibc does ("0x..."/"(nil)"); %ps/%pf the symbol name, %pS/%pF name+0xoffset, the bare
//    address "0x%llx" when no symbol contains it.
import type { EventFormat, FieldLayout } from './format';
import type { Expr } from './print-fmt';
import { formatInteger, formatPointer, formatString, parseFormat, type ConvSpec, type FormatPiece } from './printf';
import { dynamicSpan, readFieldString, readUnsigned, type RecordData } from './record';
import type { Kallsyms } from './kallsyms';

export interface RenderContext {
  readonly longSize: 4 | 8;
  /** Kernel symbols, parsed on first use. */
  kallsyms(): Kallsyms | null;
}

interface ArrayRef {
  readonly array: true;
  readonly start: number;
  readonly bytes: number;
  readonly elementSize: number;
  readonly signed: boolean;
}

type Value = bigint | string | ArrayRef;

// libtraceevent src/event-parse.c flags[]: the only names a symbol table entry may use.
const KNOWN_FLAGS: Readonly<Record<string, bigint>> = {
  HI_SOFTIRQ: 0n, TIMER_SOFTIRQ: 1n, NET_TX_SOFTIRQ: 2n, NET_RX_SOFTIRQ: 3n, BLOCK_SOFTIRQ: 4n, IRQ_POLL_SOFTIRQ: 5n,
  TASKLET_SOFTIRQ: 6n, SCHED_SOFTIRQ: 7n, HRTIMER_SOFTIRQ: 8n, RCU_SOFTIRQ: 9n, HRTIMER_NORESTART: 0n, HRTIMER_RESTART: 1n,
};

const SIZEOF: Readonly<Record<string, number>> = {
  char: 1, u8: 1, s8: 1, __u8: 1, __s8: 1, bool: 1, short: 2, u16: 2, s16: 2, __u16: 2, __s16: 2,
  int: 4, u32: 4, s32: 4, __u32: 4, __s32: 4, 'unsigned int': 4, u64: 8, s64: 8, __u64: 8, __s64: 8, 'long long': 8,
  'unsigned long long': 8,
};

class EvalError extends Error {}

const formatCache = new WeakMap<EventFormat, FormatPiece[]>();

function piecesOf(fmt: EventFormat, format: string): FormatPiece[] {
  let p = formatCache.get(fmt);
  if (p === undefined) {
    p = parseFormat(format);
    formatCache.set(fmt, p);
  }
  return p;
}

function isArray(v: Value): v is ArrayRef {
  return typeof v === 'object';
}

function num(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return v.length > 0 ? 1n : 0n;
  return BigInt(v.start);
}

class Evaluator {
  constructor(
    private readonly fmt: EventFormat,
    private readonly r: RecordData,
    private readonly ctx: RenderContext,
  ) {}

  field(name: string): FieldLayout {
    const f = this.fmt.byName.get(name);
    if (f === undefined) throw new EvalError(`field ${name} not found`);
    return f;
  }

  fieldValue(f: FieldLayout): Value {
    if (f.isString) return readFieldString(this.r, f);
    if (f.dataLoc || f.relLoc) {
      const [start, bytes] = dynamicSpan(this.r, f);
      return { array: true, start, bytes, elementSize: 1, signed: false };
    }
    if (f.arrayLength !== null) return { array: true, start: f.offset, bytes: f.size, elementSize: f.elementSize, signed: f.signed };
    // eval_num_arg reads fields unsigned (tep_read_number); signedness shows when printf casts.
    return readUnsigned(this.r, f.offset, f.size);
  }

  eval(e: Expr): Value {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 'field':
        return this.fieldValue(this.field(e.name));
      case 'ident':
        return 0n; // strtoull of a name
      case 'type':
        return 0n;
      case 'index': {
        const base = this.eval(e.base);
        const i = Number(num(this.eval(e.index)));
        if (!isArray(base)) throw new EvalError('index of a non-array');
        return readUnsigned(this.r, base.start + i * base.elementSize, base.elementSize);
      }
      case 'member':
        throw new EvalError(`member access .${e.name}`);
      case 'unary':
        return this.unary(e.op, this.eval(e.e));
      case 'binary':
        return this.binary(e.op, e.a, e.b);
      case 'cond': {
        const c = this.eval(e.c);
        if (num(c) !== 0n) return e.t === null ? c : this.eval(e.t);
        return this.eval(e.f);
      }
      case 'cast':
        return this.cast(e.type, this.eval(e.e));
      case 'call':
        return this.call(e.name, e.args);
      case 'brace':
        throw new EvalError('brace list outside a symbol table');
    }
  }

  unary(op: string, v: Value): Value {
    const n = num(v);
    switch (op) {
      case '-':
        return BigInt.asUintN(64, -n);
      case '+':
        return n;
      case '!':
        return n === 0n ? 1n : 0n;
      case '~':
        return BigInt.asUintN(64, ~n);
      default:
        return v; // & and * of a field: its value (libtraceevent ignores them too)
    }
  }

  binary(op: string, ea: Expr, eb: Expr): Value {
    if (op === '&&') return num(this.eval(ea)) !== 0n && num(this.eval(eb)) !== 0n ? 1n : 0n;
    if (op === '||') return num(this.eval(ea)) !== 0n || num(this.eval(eb)) !== 0n ? 1n : 0n;
    // unsigned long long arithmetic, as eval_num_arg computes it.
    const a = BigInt.asUintN(64, num(this.eval(ea)));
    const b = BigInt.asUintN(64, num(this.eval(eb)));
    switch (op) {
      case '+':
        return BigInt.asUintN(64, a + b);
      case '-':
        return BigInt.asUintN(64, a - b);
      case '*':
        return BigInt.asUintN(64, a * b);
      case '/':
        return b === 0n ? 0n : a / b;
      case '%':
        return b === 0n ? 0n : a % b;
      case '<<':
        return BigInt.asUintN(64, a << b);
      case '>>':
        return BigInt.asUintN(64, a) >> b;
      case '&':
        return BigInt.asUintN(64, a) & BigInt.asUintN(64, b);
      case '|':
        return BigInt.asUintN(64, a) | BigInt.asUintN(64, b);
      case '^':
        return BigInt.asUintN(64, a) ^ BigInt.asUintN(64, b);
      case '==':
        return a === b ? 1n : 0n;
      case '!=':
        return a !== b ? 1n : 0n;
      case '<':
        return a < b ? 1n : 0n;
      case '>':
        return a > b ? 1n : 0n;
      case '<=':
        return a <= b ? 1n : 0n;
      case '>=':
        return a >= b ? 1n : 0n;
      default:
        throw new EvalError(`operator ${op}`);
    }
  }

  cast(type: string, v: Value): Value {
    if (typeof v !== 'bigint') return v;
    if (/\*/.test(type)) return BigInt.asUintN(this.ctx.longSize * 8, v);
    const unsigned = /unsigned|^u\d|^__u\d|_t$|bool/.test(type) && !/^s\d|^__s\d|ssize_t/.test(type);
    let bits = 32;
    if (/long long|64/.test(type)) bits = 64;
    else if (/long|size_t|ptrdiff_t|uintptr_t/.test(type)) bits = this.ctx.longSize * 8;
    else if (/short|16/.test(type)) bits = 16;
    else if (/char|8\b|bool/.test(type)) bits = 8;
    if (/bool/.test(type)) return v !== 0n ? 1n : 0n;
    return unsigned ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
  }

  /** A symbol-table value: a number, an expression, or one of libtraceevent's known names (else -1). */
  flagValue(e: Expr): bigint {
    if (e.k === 'ident') return KNOWN_FLAGS[e.name] ?? -1n;
    try {
      return num(this.eval(e));
    } catch {
      return -1n;
    }
  }

  table(args: readonly Expr[]): { value: bigint; name: string }[] {
    return args.map((a) => {
      if (a.k !== 'brace' || a.items.length < 2) throw new EvalError('bad symbol table entry');
      const s = this.eval(a.items[1]!);
      return { value: this.flagValue(a.items[0]!), name: typeof s === 'string' ? s : String(s) };
    });
  }

  call(name: string, args: readonly Expr[]): Value {
    switch (name) {
      case '__print_symbolic': {
        const v = num(this.eval(args[0]!));
        const hit = this.table(args.slice(1)).find((t) => t.value === v);
        return hit ? hit.name : '0x' + BigInt.asUintN(64, v).toString(16);
      }
      case '__print_flags':
        return this.printFlags(args);
      case '__get_str':
      case '__get_rel_str':
        return readFieldString(this.r, this.field(fieldName(args[0])));
      case '__get_dynamic_array':
      case '__get_rel_dynamic_array': {
        const f = this.field(fieldName(args[0]));
        const [start, bytes] = dynamicSpan(this.r, f);
        return { array: true, start, bytes, elementSize: 1, signed: false };
      }
      case '__get_dynamic_array_len':
      case '__get_rel_dynamic_array_len':
        return BigInt(dynamicSpan(this.r, this.field(fieldName(args[0])))[1]);
      case '__print_array':
        return this.printArray(args);
      case '__print_hex':
      case '__print_hex_str':
        return this.printHex(args, name === '__print_hex' ? ' ' : '');
      case 'sizeof': {
        const t = args[0]?.k === 'type' ? args[0].type : '';
        return BigInt(SIZEOF[t] ?? (/long|\*/.test(t) ? this.ctx.longSize : 4));
      }
      default:
        throw new EvalError(`function ${name}`);
    }
  }

  printFlags(args: readonly Expr[]): string {
    let v = BigInt.asUintN(64, num(this.eval(args[0]!)));
    const delimV = this.eval(args[1]!);
    const delim = typeof delimV === 'string' ? delimV : '';
    let out = '';
    let printed = false;
    for (const t of this.table(args.slice(2))) {
      if (v === 0n && t.value < 0n) {
        out += t.name;
        break;
      }
      if (t.value > 0n && (v & t.value) === t.value) {
        if (printed) out += delim;
        out += t.name;
        printed = true;
        v &= ~t.value;
      }
    }
    if (v !== 0n) out += (printed ? delim : '') + '0x' + v.toString(16);
    return out;
  }

  printArray(args: readonly Expr[]): string {
    const arr = this.eval(args[0]!);
    const count = Number(num(this.eval(args[1]!)));
    const size = Number(num(this.eval(args[2]!)));
    if (!isArray(arr)) throw new EvalError('__print_array of a non-array');
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return parts.join(' ') + `BAD SIZE:${size}`;
      parts.push(readUnsigned(this.r, arr.start + i * size, size).toString());
    }
    return parts.join(' ');
  }

  printHex(args: readonly Expr[], sep: string): string {
    const arr = this.eval(args[0]!);
    const len = Number(num(this.eval(args[1]!)));
    const start = isArray(arr) ? arr.start : Number(num(arr));
    const out: string[] = [];
    for (let i = 0; i < len; i++) out.push((this.r.data[start + i] ?? 0).toString(16).padStart(2, '0'));
    return out.join(sep);
  }
}

function fieldName(e: Expr | undefined): string {
  if (e === undefined) throw new EvalError('missing argument');
  if (e.k === 'ident' || e.k === 'field') return e.name;
  throw new EvalError('expected a field name');
}

function symbolText(spec: ConvSpec, v: bigint, ctx: RenderContext): string {
  const sym = ctx.kallsyms()?.find(BigInt.asUintN(64, v)) ?? null;
  if (sym === null) return '0x' + BigInt.asUintN(ctx.longSize * 8, v).toString(16);
  const withOffset = spec.pointerExt === 'S' || spec.pointerExt === 'F' || spec.pointerExt === 'B';
  return withOffset ? `${sym.name}+0x${(v - sym.addr).toString(16)}` : sym.name;
}

/** One conversion with its argument. */
function convert(spec: ConvSpec, v: Value, width: number | null, precision: number | null, ctx: RenderContext): string {
  if (spec.conv === 's') return formatString(spec, typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : '', width, precision);
  const n = typeof v === 'string' ? 0n : isArray(v) ? BigInt(v.start) : v;
  if (spec.conv === 'p') {
    if (typeof v === 'string') return formatString(spec, v, width, null);
    if ('sSfFB'.includes(spec.pointerExt) && spec.pointerExt !== '') return formatString(spec, symbolText(spec, n, ctx), width, null);
    return formatPointer(spec, n, width, ctx.longSize);
  }
  return formatInteger(spec, n, width, precision, ctx.longSize);
}

/** The event's text as its print fmt gives it; throws EvalError when a part cannot be evaluated. */
export function evaluatePrintFmt(fmt: EventFormat, r: RecordData, ctx: RenderContext): string {
  if ('error' in fmt.print) throw new EvalError(fmt.print.error);
  const ev = new Evaluator(fmt, r, ctx);
  const args = fmt.print.args;
  let ai = 0;
  let out = '';
  for (const piece of piecesOf(fmt, fmt.print.format)) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    const width = piece.width === -1 ? Number(num(ev.eval(args[ai++]!))) : piece.width;
    const precision = piece.precision === -1 ? Number(num(ev.eval(args[ai++]!))) : piece.precision;
    const a = args[ai++];
    if (a === undefined) throw new EvalError('fewer arguments than conversions');
    out += convert(piece, ev.eval(a), width, precision, ctx);
  }
  return out;
}

export { EvalError };
