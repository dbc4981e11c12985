// libtraceevent's print-fmt argument parser, re-expressed (src/event-parse.c __read_token, process_arg,
// process_arg_token, process_op, process_paren, process_cond, process_array, process_fields, process_flags,
// process_symbols, process_function, arg_eval, arg_num_eval, get_op_prio): the tree it builds, rotations
// included, is what `trace-cmd report` evaluates. print-fmt.ts turns the tree into expressions.

// Tokens as libtraceevent's __read_token classifies them: items (letters, digits, '_'), double- and
// single-quoted strings, the delimiters ( ) , and operators (two-character ones: -> ++ -- || && >> << >= <= == !=).
export type TokType = 'item' | 'dquote' | 'squote' | 'delim' | 'op';
export interface Tok {
  readonly t: TokType;
  readonly v: string;
}

const TWO_CHAR_OPS = ['->', '++', '--', '||', '&&', '>>', '<<', '>=', '<=', '==', '!='];

function unescape(s: string): string {
  return s.replace(/\\(n|t|r|"|'|\\|0|x[0-9a-fA-F]{1,2}|[0-7]{1,3})/g, (_m, e: string) => {
    switch (e) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      default:
        if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
        if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
        return e;
    }
  });
}

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out.push({ t: c === '"' ? 'dquote' : 'squote', v: unescape(src.slice(i + 1, j)) });
      i = j + 1;
      continue;
    }
    const item = /^\w+/.exec(src.slice(i, i + 256));
    if (item !== null) {
      out.push({ t: 'item', v: item[0] });
      i += item[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'delim', v: c });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    const op = TWO_CHAR_OPS.includes(two) ? two : c;
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** libtraceevent get_op_prio: a lower number binds tighter; unknown operators are -1. */
function opPrio(op: string): number {
  const table: Readonly<Record<string, number>> = {
    '~': 4, '!': 4, '*': 6, '/': 6, '%': 6, '+': 7, '-': 7, '<<': 8, '>>': 8, '<': 9, '>': 9, '<=': 9, '>=': 9,
    '==': 10, '!=': 10, '&': 11, '^': 12, '|': 13, '&&': 14, '||': 15, '?': 16, '++': 3, '--': 3,
  };
  return table[op] ?? -1;
}

const BINARY = new Set(['>>', '<<', '&', '|', '&&', '||', '-', '+', '*', '^', '/', '%', '<', '>', '<=', '>=', '==', '!=']);

/** A node of the tree libtraceevent builds (struct tep_print_arg); mutable, as its rotations swap nodes. */
export interface Node {
  kind: 'null' | 'atom' | 'dquote' | 'squote' | 'field' | 'op' | 'type' | 'call';
  text: string;
  left: Node | null;
  right: Node | null;
  prio: number;
  item: Node | null;
  args: Node[];
  /** __print_flags / __print_symbolic tables: [value as evaluated at parse time, name]. */
  table: [string, string][];
  delim: string | null;
}

export function node(): Node {
  return { kind: 'null', text: '', left: null, right: null, prio: 0, item: null, args: [], table: [], delim: null };
}

function swap(a: Node, b: Node): void {
  const t = { ...a };
  Object.assign(a, b);
  Object.assign(b, t);
}

export class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  next(): Tok | null {
    return this.toks[this.i++] ?? null;
  }

  private expect(t: Tok | null, type: TokType, v: string): void {
    if (t === null || t.t !== type || t.v !== v) throw new SyntaxError(`expected '${v}' in print fmt, found '${t?.v ?? 'end'}'`);
  }

  arg(a: Node): Tok | null {
    return this.argToken(a, this.next());
  }

  /** process_arg_token */
  argToken(a: Node, t: Tok | null): Tok | null {
    if (t === null) throw new SyntaxError('unexpected end of print fmt');
    if (t.t === 'item') {
      if (t.v === 'REC') {
        this.expect(this.next(), 'op', '->');
        const f = this.next();
        if (f === null || f.t !== 'item') throw new SyntaxError('expected a field name after REC->');
        a.kind = 'field';
        a.text = f.v;
        return this.next();
      }
      let atom = t.v;
      let n = this.next();
      if (n !== null && n.t === 'delim' && n.v === '(') return this.func(a, atom);
      while (n !== null && n.t === 'item') {
        atom += ' ' + n.v;
        n = this.next();
      }
      a.kind = 'atom';
      a.text = atom;
      return n;
    }
    if (t.t === 'dquote' || t.t === 'squote') {
      a.kind = t.t;
      a.text = t.v;
      return this.next();
    }
    if (t.t === 'delim' && t.v === '(') return this.paren(a);
    a.kind = 'op';
    a.text = t.v;
    a.left = null;
    return this.op(a, t);
  }

  /** process_paren: a parenthesized argument, or a typecast when an item or "(" follows. */
  paren(a: Node): Tok | null {
    let t = this.arg(a);
    if (t !== null && t.t === 'op') t = this.op(a, t);
    this.expect(t, 'delim', ')');
    t = this.next();
    if (t !== null && (t.t === 'item' || t.t === 'dquote' || t.t === 'squote' || (t.t === 'delim' && t.v === '('))) {
      if (a.kind !== 'atom') throw new SyntaxError('a typecast needs a type');
      const item = node();
      const type = a.text;
      Object.assign(a, node(), { kind: 'type', text: type, item });
      return this.argToken(item, t);
    }
    return t;
  }

  /** process_op */
  op(a: Node, t: Tok): Tok | null {
    const op = t.v;
    let right: Node | null = null;
    let n: Tok | null;
    if (a.kind === 'op' && a.left === null) {
      if (!['~', '!', '+', '-'].includes(op)) throw new SyntaxError(`bad unary operator ${op}`);
      a.left = node();
      right = node();
      a.right = right;
      n = this.arg(right);
    } else if (op === '?') {
      const left = { ...a };
      Object.assign(a, node(), { kind: 'op', text: '?', left, prio: 0 });
      n = this.cond(a);
    } else if (BINARY.has(op)) {
      const left = { ...a };
      Object.assign(a, node(), { kind: 'op', text: op, left, right: null });
      a.prio = left.kind === 'null' ? 0 : opPrio(op);
      n = this.next();
      // "(void *)": a pointer type, not a multiplication.
      if (op === '*' && n !== null && n.t === 'delim' && n.v === ')') {
        if (left.kind !== 'atom') throw new SyntaxError('bad pointer type');
        Object.assign(a, left, { text: left.text + ' *' });
        return n;
      }
      right = node();
      n = this.argToken(right, n);
      if (right.kind === 'op' && opPrio(op) < opPrio(right.text)) {
        // Rotate by priority, as libtraceevent does (parenthesized or not).
        a.right = right.left;
        swap(a, right);
        a.left = right;
      } else a.right = right;
    } else if (op === '[') {
      const left = { ...a };
      Object.assign(a, node(), { kind: 'op', text: '[', left, prio: 0 });
      n = this.array(a);
    } else throw new SyntaxError(`unknown operator ${op}`);
    if (n !== null && n.t === 'op' && n.v !== ':') {
      if (opPrio(n.v) > a.prio) return this.op(a, n);
      if (right === null) throw new SyntaxError(`operator ${n.v} after ${op}`);
      return this.op(right, n);
    }
    return n;
  }

  /**
   * process_cond: "? a : b" into a ':' node on the right of the '?' node. The branch after ':' is a whole
   * conditional expression, as in C (ISO C11 6.5.15: `a ? b : c ? d : e` is `a ? b : (c ? d : e)`):
   * kvm_irq_line's `type == 0 ? "CPU" : type == 2 ? "VGIC PPI" : type == 1 ? "VGIC SPI" : "UNKNOWN"`
   * (arch/arm64/kvm/trace_arm.h). libtraceevent's process_cond reads one argument there and lets the next
   * `?` take the whole conditional as its condition, so `trace-cmd report` names types 0 and 2 wrongly.
   */
  cond(top: Node): Tok | null {
    const c = node();
    const left = node();
    const right = node();
    Object.assign(c, { kind: 'op', text: ':', left, right });
    let t = this.arg(left);
    while (t !== null && t.t === 'op' && t.v !== ':') t = this.op(left, t);
    this.expect(t, 'op', ':');
    t = this.arg(right);
    while (t !== null && t.t === 'op' && t.v !== ':') t = this.op(right, t);
    top.right = c;
    return t;
  }

  /** process_array */
  array(top: Node): Tok | null {
    const a = node();
    const t = this.arg(a);
    this.expect(t, 'op', ']');
    top.right = a;
    return this.next();
  }

  /** process_field_arg: the first argument of __print_flags/__print_symbolic, operators included. */
  fieldArg(a: Node): Tok | null {
    let t = this.arg(a);
    while (t !== null && t.t === 'op') t = this.op(a, t);
    return t;
  }

  /** process_fields: `{ value, "name" }, ...`, values evaluated now (arg_eval). */
  fields(table: [string, string][]): Tok | null {
    let t: Tok | null;
    do {
      this.expect(this.next(), 'op', '{');
      const v = node();
      t = this.arg(v);
      if (t !== null && t.t === 'op') t = this.op(v, t);
      this.expect(t, 'delim', ',');
      const value = argEval(v);
      const s = node();
      t = this.arg(s);
      this.expect(t, 'op', '}');
      table.push([value, argEval(s)]);
      t = this.next();
    } while (t !== null && t.t === 'delim' && t.v === ',');
    return t;
  }

  /** The argument list of a helper, each parsed without operators (alloc_and_process_delim). */
  plainArgs(a: Node, ends: readonly string[]): Tok | null {
    for (const end of ends) {
      const x = node();
      const t = this.arg(x);
      this.expect(t, 'delim', end);
      a.args.push(x);
    }
    return this.next();
  }

  /** process_function: the helpers libtraceevent knows; any other function fails the event's format. */
  func(a: Node, name: string): Tok | null {
    a.kind = 'call';
    a.text = name;
    switch (name) {
      case '__print_flags':
      case '__print_symbolic': {
        const f = node();
        let t = this.fieldArg(f);
        this.expect(t, 'delim', ',');
        a.args.push(f);
        if (name === '__print_flags') {
          t = this.next();
          if (t !== null && (t.t === 'item' || t.t === 'dquote' || t.t === 'squote')) {
            a.delim = t.v;
            t = this.next();
          }
          this.expect(t, 'delim', ',');
        }
        t = this.fields(a.table);
        this.expect(t, 'delim', ')');
        return this.next();
      }
      case '__print_hex':
      case '__print_hex_str':
        return this.plainArgs(a, [',', ')']);
      case '__print_array':
        return this.plainArgs(a, [',', ',', ')']);
      case '__get_str':
      case '__get_rel_str':
      case '__get_bitmask':
      case '__get_rel_bitmask':
      case '__get_dynamic_array_len':
      case '__get_rel_dynamic_array_len': {
        const f = this.next();
        if (f === null || f.t !== 'item') throw new SyntaxError(`${name} needs a field name`);
        a.args.push({ ...node(), kind: 'atom', text: f.v });
        this.expect(this.next(), 'delim', ')');
        return this.next();
      }
      case '__get_dynamic_array':
      case '__get_rel_dynamic_array': {
        const f = this.next();
        if (f === null || f.t !== 'item') throw new SyntaxError(`${name} needs a field name`);
        a.args.push({ ...node(), kind: 'atom', text: f.v });
        this.expect(this.next(), 'delim', ')');
        const t = this.next();
        if (t === null || t.t !== 'op' || t.v !== '[') return t;
        const idx = node();
        this.expect(this.arg(idx), 'op', ']');
        return this.next();
      }
      default:
        throw new SyntaxError(`function ${name} not defined`);
    }
  }
}

/** libtraceevent arg_eval: a table value evaluated when the format is parsed. */
function argEval(n: Node): string {
  switch (n.kind) {
    case 'atom':
    case 'dquote':
    case 'squote':
      return n.text;
    case 'type':
      return n.item === null ? '' : argEval(n.item);
    case 'op':
      return String(numEval(n));
    default:
      throw new SyntaxError('a symbol table value that cannot be evaluated');
  }
}

/** libtraceevent arg_num_eval (signed 64-bit, the operators it knows). */
function numEval(n: Node): bigint {
  const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
  if (n.kind === 'atom') return strtoull(n.text, true);
  if (n.kind === 'type') return n.item === null ? 0n : numEval(n.item);
  if (n.kind !== 'op') throw new SyntaxError('invalid eval type');
  const l = n.left === null || n.left.kind === 'null' ? 0n : numEval(n.left);
  const r = n.right === null ? 0n : numEval(n.right);
  switch (n.text) {
    case '|':
      return l | r;
    case '||':
      return l !== 0n || r !== 0n ? 1n : 0n;
    case '&':
      return l & r;
    case '&&':
      return l !== 0n && r !== 0n ? 1n : 0n;
    case '<':
      return l < r ? 1n : 0n;
    case '<<':
      return s64(l << r);
    case '<=':
      return l <= r ? 1n : 0n;
    case '>':
      return l > r ? 1n : 0n;
    case '>>':
      return l >> r;
    case '>=':
      return l >= r ? 1n : 0n;
    case '==':
      return l === r ? 1n : 0n;
    case '!=':
      return l !== r ? 1n : 0n;
    case '-':
      return s64(l - r);
    case '+':
      return s64(l + r);
    case '~':
      return ~r;
    default:
      throw new SyntaxError(`unknown op '${n.text}'`);
  }
}

/** strtoull/strtoll(s, NULL, 0) on the leading number of an atom (0 when there is none). */
export function strtoull(s: string, signed = false): bigint {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(s);
  if (m === null) return 0n;
  const body = m[2] as string;
  let v = /^0[xX]/.test(body) ? BigInt(body) : body.length > 1 && body.startsWith('0') ? BigInt('0o' + body.slice(1)) : BigInt(body);
  if (m[1] === '-') v = -v;
  return signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
}

