// Print fmt parsing and printf conversions. Expected values: ISO C printf semantics (C11 7.21.6.1), the
// kernel's print formats, and what libtraceevent does with them where it departs from C (its operator
// rotation, its symbol-table names), as trace-cmd report prints them in the samples.
import { describe, expect, it } from 'vitest';
import { parsePrintFmt, type Expr } from '../../../../main/core/ingest/tracedat/print-fmt';
import { formatInteger, formatPointer, formatString, parseFormat, type ConvSpec } from '../../../../main/core/ingest/tracedat/printf';
import { evaluatePrintFmt } from '../../../../main/core/ingest/tracedat/print-eval';
import { recordFields } from '../../../../main/core/ingest/tracedat/render';
import { parseEventFormat, type EventFormat } from '../../../../main/core/ingest/tracedat/format';
import { recordData } from '../../../../main/core/ingest/tracedat/record';
import { encodePayload } from '../../../../main/core/ingest/tracedat/writer';
import { Kallsyms } from '../../../../main/core/ingest/tracedat/kallsyms';

function spec(fmt: string): ConvSpec {
  const p = parseFormat(fmt).find((x) => typeof x !== 'string');
  if (p === undefined || typeof p === 'string') throw new Error('no conversion');
  return p;
}

describe('printf conversions (C11 7.21.6.1)', () => {
  it('integer flags, width, precision and length', () => {
    expect(formatInteger(spec('%03d'), 1n, 3, null, 8)).toBe('001');
    expect(formatInteger(spec('%-5d'), 42n, 5, null, 8)).toBe('42   ');
    expect(formatInteger(spec('%x'), -1n, null, null, 8)).toBe('ffffffff'); // an int is 32 bits
    expect(formatInteger(spec('%lx'), -1n, null, null, 8)).toBe('ffffffffffffffff');
    expect(formatInteger(spec('%hhu'), 257n, null, null, 8)).toBe('1');
    expect(formatInteger(spec('%d'), 0xffffffffn, null, null, 8)).toBe('-1');
    // '#' adds 0x except for zero, and the zeros of the width go after the prefix
    expect(formatInteger(spec('%#08x'), 0x1234n, 8, null, 8)).toBe('0x001234');
    expect(formatInteger(spec('%#08lx'), 0n, 8, null, 8)).toBe('00000000');
    expect(formatInteger(spec('%#016lx'), 0x92000061n, 16, null, 8)).toBe('0x00000092000061');
    expect(formatInteger(spec('%.3d'), 7n, null, 3, 8)).toBe('007');
    expect(formatInteger(spec('%+d'), 5n, null, null, 8)).toBe('+5');
  });

  it('strings and glibc pointers', () => {
    expect(formatString(spec('%.3s'), 'abcdef', null, 3)).toBe('abc');
    expect(formatString(spec('%6s'), 'ab', 6, null)).toBe('    ab');
    expect(formatPointer(spec('%p'), 0xffff888627c2c428n, null, 8)).toBe('0xffff888627c2c428');
    expect(formatPointer(spec('%p'), 0n, null, 8)).toBe('(nil)');
  });

  it('splits a kernel format into text and conversions, %p extensions included', () => {
    const pieces = parseFormat('hrtimer=%p function=%ps now=%llu %%');
    expect(pieces.filter((p) => typeof p !== 'string').map((p) => (p as ConvSpec).conv + (p as ConvSpec).pointerExt)).toEqual(['p', 'ps', 'u']);
    expect(pieces.filter((p) => typeof p === 'string').join('')).toBe('hrtimer= function= now= %');
  });
});

const TIMER_START = `name: timer_start
ID: 466
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:void * timer;\toffset:8;\tsize:8;\tsigned:0;
\tfield:void * function;\toffset:16;\tsize:8;\tsigned:0;
\tfield:unsigned long expires;\toffset:24;\tsize:8;\tsigned:0;
\tfield:unsigned long bucket_expiry;\toffset:32;\tsize:8;\tsigned:0;
\tfield:unsigned long now;\toffset:40;\tsize:8;\tsigned:0;
\tfield:unsigned int flags;\toffset:48;\tsize:4;\tsigned:0;

print fmt: "timer=%p function=%ps expires=%lu [timeout=%ld] bucket_expiry=%lu cpu=%u idx=%u flags=%s", REC->timer, REC->function, REC->expires, (long)REC->expires - REC->now, REC->bucket_expiry, REC->flags & 0x0003FFFF, REC->flags >> 22, __print_flags(REC->flags & (0x00040000 | 0x00080000 | 0x00100000 | 0x00200000), "|", { 0x00040000, "M" }, { 0x00080000, "D" }, { 0x00100000, "P" }, { 0x00200000, "I" })
`;

function fmt(text: string): EventFormat {
  const f = parseEventFormat(text, 'timer');
  if ('error' in f) throw new Error(f.error);
  return f;
}

const ctx = (syms = ''): { longSize: 8; kallsyms: () => Kallsyms | null } => ({ longSize: 8, kallsyms: () => (syms ? Kallsyms.parse(syms) : null) });

describe('print fmt as libtraceevent reads it', () => {
  it('parses the field layout and the arguments of a kernel format', () => {
    const f = fmt(TIMER_START);
    expect(f.fields.map((x) => `${x.name}@${x.offset}/${x.size}`)).toEqual(['timer@8/8', 'function@16/8', 'expires@24/8', 'bucket_expiry@32/8', 'now@40/8', 'flags@48/4']);
    expect('args' in f.print && f.print.args.length).toBe(8);
  });

  it("rotates a parenthesized OR under & as libtraceevent's process_op does: flags print D|P|I", () => {
    // The sample's five timer_start records have flags 0x39c00000 (idx 231, no M/D/P/I bit set), and
    // `trace-cmd report` prints "flags=D|P|I" for them (x86_64-syscalls.report.txt.gz line 12624).
    const f = fmt(TIMER_START);
    const payload = encodePayload(f, { cpu: 0, tsNs: 0n, id: 466, pid: 1, values: { timer: 0xffffc900067d3750n, function: 0xffffffff81000000n, expires: 4295019726, bucket_expiry: 4295020032, now: 4295004726, flags: 0x39c00000 } }, true);
    const text = evaluatePrintFmt(f, recordData(payload, true, 8), ctx('ffffffff81000000 t process_timeout\n'));
    expect(text).toBe('timer=0xffffc900067d3750 function=process_timeout expires=4295019726 [timeout=15000] bucket_expiry=4295020032 cpu=0 idx=231 flags=D|P|I');
  });

  it('unknown symbol names never match (libtraceevent eval_flag: -1), unmatched values print as 0x%llx', () => {
    const f = fmt(`name: hrtimer_setup\nID: 461\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n\tfield:enum hrtimer_mode mode;\toffset:8;\tsize:4;\tsigned:0;\n\nprint fmt: "mode=%s", __print_symbolic(REC->mode, { HRTIMER_MODE_ABS, "ABS" }, { HRTIMER_MODE_REL, "REL" })\n`);
    const payload = encodePayload(f, { cpu: 0, tsNs: 0n, id: 461, pid: 1, values: { mode: 0 } }, true);
    // trace-cmd report prints "mode=0x0" for these records (the sample's hrtimer_setup lines)
    expect(evaluatePrintFmt(f, recordData(payload, true, 8), ctx())).toBe('mode=0x0');
  });

  it('reads casts, ternaries and helpers into expressions', () => {
    const p = parsePrintFmt(`"%s %d", REC->ret ? "handled" : "unhandled", (int) ((REC->dev) >> 20)`);
    if ('error' in p) throw new Error(p.error);
    const kinds = (e: Expr): string => e.k;
    expect(p.args.map(kinds)).toEqual(['cond', 'cast']);
    expect(parsePrintFmt('"%d", undefined_helper(REC->x)')).toEqual({ error: 'function undefined_helper not defined' });
  });

  it('reads a chain of conditionals as C does, the branch after ":" a whole conditional (C11 6.5.15)', () => {
    // kvm_irq_line as arch/arm64/kvm/trace_arm.h declares it (TP_printk of TRACE_EVENT(kvm_irq_line)).
    const f = fmt(`name: kvm_irq_line\nID: 1010\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n\tfield:unsigned int type;\toffset:8;\tsize:4;\tsigned:0;\n\tfield:int vcpu_idx;\toffset:12;\tsize:4;\tsigned:1;\n\tfield:int irq_num;\toffset:16;\tsize:4;\tsigned:1;\n\tfield:int level;\toffset:20;\tsize:4;\tsigned:1;\n\nprint fmt: "Inject %s interrupt (%d), vcpu->idx: %d, num: %d, level: %d", (REC->type == 0) ? "CPU" : (REC->type == 2) ? "VGIC PPI" : (REC->type == 1) ? "VGIC SPI" : "UNKNOWN", REC->type, REC->vcpu_idx, REC->irq_num, REC->level\n`);
    const line = (type: number): string => evaluatePrintFmt(f, recordData(encodePayload(f, { cpu: 0, tsNs: 0n, id: 1010, pid: 1, values: { type, vcpu_idx: 1, irq_num: 27, level: 1 } }, true), true, 8), ctx());
    expect([0, 1, 2, 3].map(line)).toEqual([
      'Inject CPU interrupt (0), vcpu->idx: 1, num: 27, level: 1',
      'Inject VGIC SPI interrupt (1), vcpu->idx: 1, num: 27, level: 1',
      'Inject VGIC PPI interrupt (2), vcpu->idx: 1, num: 27, level: 1',
      'Inject UNKNOWN interrupt (3), vcpu->idx: 1, num: 27, level: 1',
    ]);
    // A conditional in the middle branch, and an operator after ":".
    const g = fmt(`name: x\nID: 1\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;\n\tfield:int b;\toffset:12;\tsize:4;\tsigned:1;\n\nprint fmt: "%d %d", REC->a ? REC->b ? 1 : 2 : 3, REC->a ? 10 : REC->b + 20\n`);
    const two = (a: number, b: number): string => evaluatePrintFmt(g, recordData(encodePayload(g, { cpu: 0, tsNs: 0n, id: 1, pid: 1, values: { a, b } }, true), true, 8), ctx());
    expect([two(1, 1), two(1, 0), two(0, 5)]).toEqual(['1 10', '2 10', '3 25']);
  });
});

describe('kallsyms lookups as libtraceevent find_func', () => {
  const syms = Kallsyms.parse(
    ['ffffffff81000000 T _stext', 'ffffffff81000000 T startup_64', 'ffffffff81000100 t helper', 'ffffffff81001000 A absolute_thing', 'ffffffffc0001000 t mod_fn\t[mymod]', ''].join('\n'),
  );

  it('an address inside a function names it; absolute symbols are not functions', () => {
    expect(syms.find(0xffffffff81000150n)?.name).toBe('helper');
    expect(syms.find(0xffffffff81001000n)?.name).toBe('helper');
    expect(syms.find(0xffffffffc0001000n)?.name).toBe('mod_fn');
  });

  it('past the last symbol only the exact address matches (the sentinel has address 0)', () => {
    expect(syms.find(0xffffffffc0001004n)).toBeNull();
    expect(syms.find(0x1000n)).toBeNull();
  });
});

describe('fields read from a record', () => {
  it('gives a C bool as a JSON boolean, like the text parsers (kvm_wfx_arm64 is_wfe)', () => {
    // kvm_wfx_arm64 as arch/arm64/kvm/trace_handle_exit.h declares it.
    const f = fmt(`name: kvm_wfx_arm64\nID: 1012\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n\tfield:unsigned long vcpu_pc;\toffset:8;\tsize:8;\tsigned:0;\n\tfield:bool is_wfe;\toffset:16;\tsize:1;\tsigned:0;\n\nprint fmt: "guest executed wf%c at: 0x%016lx", REC->is_wfe ? 'e' : 'i', REC->vcpu_pc\n`);
    const fields = (is_wfe: number): unknown => recordFields(f, recordData(encodePayload(f, { cpu: 0, tsNs: 0n, id: 1012, pid: 1, values: { vcpu_pc: 0xffff80001073c080n, is_wfe } }, true), true, 8));
    expect(fields(1)).toEqual({ vcpu_pc: '0xffff80001073c080', is_wfe: true });
    expect(fields(0)).toEqual({ vcpu_pc: '0xffff80001073c080', is_wfe: false });
  });
});
