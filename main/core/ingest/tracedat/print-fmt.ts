// The "print fmt" of an event format: a C format string and C-like argument expressions over the record's
// fields (REC->field), with the kernel's helpers (__print_symbolic, __print_flags, __get_str, ...). Parsed
// once per event type into a small AST (this file); evaluated per record by print-eval.ts.
//
//   "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx", __print_symbolic(REC->ret, { 0, "IRQ" }, { 2, "TRAP" }),
//       REC->esr_ec, __print_symbolic(REC->esr_ec, { 0x00, "UNKNOWN" }, ...), REC->vcpu_pc
//
// The parser (print-parser.ts) follows libtraceevent's own (src/event-parse.c process_arg, process_op, process_paren,
// process_cond, get_op_prio), not C's grammar, because `trace-cmd report` prints what that parser builds:
// operators are folded by its priority table and rotation, and a parenthesized operation is not
// protected from the rotation. For example, in timer_start's
// `__print_flags(REC->flags & (0x00040000 | 0x00080000 | 0x00100000 | 0x00200000), ...)` the parentheses
// do not bind the ORs, and trace-cmd prints "flags=D|P|I" for any flags value; so does this parser.

import { node, Parser, strtoull, tokenize, type Node, type Tok } from './print-parser';

export type Expr =
  | { readonly k: 'num'; readonly v: bigint }
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'field'; readonly name: string }
  | { readonly k: 'ident'; readonly name: string }
  | { readonly k: 'index'; readonly base: Expr; readonly index: Expr }
  | { readonly k: 'member'; readonly base: Expr; readonly name: string }
  | { readonly k: 'unary'; readonly op: string; readonly e: Expr }
  | { readonly k: 'binary'; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'cond'; readonly c: Expr; readonly t: Expr | null; readonly f: Expr }
  | { readonly k: 'cast'; readonly type: string; readonly e: Expr }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly k: 'brace'; readonly items: readonly Expr[] }
  | { readonly k: 'type'; readonly type: string };

export interface PrintFmt {
  readonly format: string;
  readonly args: readonly Expr[];
}


function toExpr(n: Node): Expr {
  switch (n.kind) {
    case 'null':
      return { k: 'num', v: 0n };
    case 'atom':
      return /^\s*[+-]?\d/.test(n.text) ? { k: 'num', v: strtoull(n.text) } : { k: 'ident', name: n.text };
    case 'dquote':
      return { k: 'str', v: n.text };
    case 'squote':
      return { k: 'num', v: BigInt(n.text.charCodeAt(0) || 0) };
    case 'field':
      return { k: 'field', name: n.text };
    case 'type':
      return { k: 'cast', type: n.text, e: n.item === null ? { k: 'num', v: 0n } : toExpr(n.item) };
    case 'call':
      return callExpr(n);
    case 'op':
      return opExpr(n);
  }
}

function opExpr(n: Node): Expr {
  const l = n.left;
  const r = n.right;
  if (n.text === '?') {
    if (r === null || r.left === null || r.right === null || l === null) throw new SyntaxError('incomplete ?:');
    return { k: 'cond', c: toExpr(l), t: toExpr(r.left), f: toExpr(r.right) };
  }
  if (n.text === '[') return { k: 'index', base: toExpr(l!), index: toExpr(r!) };
  if (l === null || l.kind === 'null') return { k: 'unary', op: n.text, e: r === null ? { k: 'num', v: 0n } : toExpr(r) };
  if (r === null) throw new SyntaxError(`operator ${n.text} without a right side`);
  return { k: 'binary', op: n.text, a: toExpr(l), b: toExpr(r) };
}

function callExpr(n: Node): Expr {
  if (n.text === '__print_flags' || n.text === '__print_symbolic') {
    const table: Expr[] = n.table.map(([v, s]) => ({
      k: 'brace',
      items: [/^\d/.test(v) ? { k: 'num', v: strtoull(v) } : { k: 'ident', name: v }, { k: 'str', v: s }],
    }));
    const head: Expr[] = [toExpr(n.args[0]!)];
    if (n.text === '__print_flags') head.push({ k: 'str', v: n.delim ?? '' });
    return { k: 'call', name: n.text, args: [...head, ...table] };
  }
  return { k: 'call', name: n.text, args: n.args.map((a) => (a.kind === 'atom' && /^[A-Za-z_]/.test(a.text) ? { k: 'ident', name: a.text } : toExpr(a))) };
}

/** Parses `"format", arg, arg, ...` (the text after "print fmt: "). */
export function parsePrintFmt(text: string): PrintFmt | { readonly error: string } {
  try {
    const toks = tokenize(text);
    const first = toks[0];
    if (first === undefined || first.t !== 'dquote') return { error: 'print fmt does not start with a string' };
    let i = 1;
    let format = first.v;
    while (toks[i]?.t === 'dquote') format += (toks[i++] as Tok).v;
    const p = new Parser(toks.slice(i));
    const args: Expr[] = [];
    let t = p.next();
    // event_read_print_args: arguments separated by commas, each an argument and its operators.
    while (t !== null) {
      if (t.t !== 'delim' || t.v !== ',') return { error: `unexpected '${t.v}' after an argument` };
      const a = node();
      t = p.arg(a);
      if (t !== null && t.t === 'op') t = p.op(a, t);
      args.push(toExpr(a));
    }
    return { format, args };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
