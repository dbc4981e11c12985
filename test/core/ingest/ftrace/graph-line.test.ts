// function_graph lines, laid out as kernel/trace/trace_functions_graph.c prints them: print_graph_abs_time
// "%5lu.%06lu |  ", print_graph_cpu " %*d) ", print_graph_proc (comm cut to 7, comm-pid centred in 14) " | ",
// print_graph_duration ("%c " and the duration padded, then "|  ", or 14 spaces and "|  "), two spaces per
// depth, then the graph. Expected values are read off the lines by hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyScannedLine } from '../../../../main/core/ingest/ftrace/event-line';
import { isGraphDecoration, opensGraphComment, parseGraphSwitch, scanGraphLine, type GraphTasks } from '../../../../main/core/ingest/ftrace/graph-line';
import { FtraceTokenizer } from '../../../../main/core/ingest/ftrace/tokenizer';
import { sniffFtraceText } from '../../../../main/services/ingest/importers/ftrace-text';

function scan(line: string, tasks: GraphTasks = new Map()) {
  const e = emptyScannedLine();
  const kind = scanGraphLine(line, e, tasks);
  return kind === null ? null : { kind, ts: e.tsNs, cpu: e.cpu, comm: e.comm, pid: e.pid, name: e.name, args: e.args };
}

describe('function_graph lines', () => {
  it('with every column: time, CPU, task and duration', () => {
    expect(scan(' 3000.123456 |   1)  CPU 0/K-4250   |               |  kvm_handle_guest_abort() {')).toEqual({
      kind: 'timed', ts: 3000_123_456_000, cpu: 1, comm: 'CPU 0/K', pid: 4250, name: 'funcgraph_entry', args: '|  kvm_handle_guest_abort() {',
    });
    expect(scan(' 3000.123457 |   1)  CPU 0/K-4250   |   0.541 us    |    kvm_vcpu_trap_get_fault();')).toMatchObject({ name: 'funcgraph_entry', args: '0.541 us    |    kvm_vcpu_trap_get_fault();' });
    expect(scan(' 3000.123471 |   1)  CPU 0/K-4250   | + 12.583 us   |  }')).toMatchObject({ ts: 3000_123_471_000, name: 'funcgraph_exit', args: '+ 12.583 us   |  }' });
  });

  it('a trace event printed as a comment is that event, its arguments inside the comment', () => {
    const line = ' 3000.123460 |   1)  CPU 0/K-4250   |               |    /* kvm_guest_fault: ipa 0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc 0xffff80001073cd5c */';
    expect(scan(line)).toEqual({
      kind: 'timed', ts: 3000_123_460_000, cpu: 1, comm: 'CPU 0/K', pid: 4250, name: 'kvm_guest_fault',
      args: 'ipa 0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc 0xffff80001073cd5c',
    });
    // trace_printk's text has no event name: a `print`.
    expect(scan(' 1)               |  /* hello world */')).toMatchObject({ name: 'print', args: 'hello world' });
  });

  it('the default columns (CPU and duration) have no time; the task comes from the CPU\'s last switch block', () => {
    expect(scan(' 1)   0.541 us    |    kvm_vcpu_trap_get_fault();')).toEqual({
      kind: 'untimed', ts: Number.NaN, cpu: 1, comm: '<...>', pid: -1, name: 'funcgraph_entry', args: '0.541 us    |    kvm_vcpu_trap_get_fault();',
    });
    const tasks: GraphTasks = new Map();
    const sw = parseGraphSwitch(' 1)  CPU 0/K-4250   =>  qemu-sy-4242  ');
    expect(sw).toEqual({ cpu: 1, comm: 'qemu-sy', pid: 4242 });
    tasks.set(sw!.cpu, sw!);
    expect(scan(' 1) ! 150.123 us  |  }', tasks)).toMatchObject({ kind: 'untimed', comm: 'qemu-sy', pid: 4242, name: 'funcgraph_exit' });
    expect(scan(' 0)               |  } /* kvm_handle_guest_abort */', tasks)).toMatchObject({ cpu: 0, pid: -1, name: 'funcgraph_exit' });
  });

  it('the latency flags column (latency-format) is read past, whichever irqs-off flag it starts with', () => {
    for (const f of ['d', 'D', 'b', 'X', '.']) {
      expect(scan(` 3000.123457 |   1)  CPU 0/K-4250   |  ${f}.s1. |   0.541 us    |    kvm_vcpu_trap_get_fault();`)).toMatchObject({
        ts: 3000_123_457_000, comm: 'CPU 0/K', name: 'funcgraph_entry', args: '0.541 us    |    kvm_vcpu_trap_get_fault();',
      });
    }
  });

  it('without the CPU column (funcgraph-cpu off) the duration column\'s bar anchors the line', () => {
    expect(scan(' 3000.000001 |    2.000 us    |  schedule();')).toMatchObject({ kind: 'timed', ts: 3000_000_001_000, cpu: -1, name: 'funcgraph_entry' });
    expect(scan('  1.000 us    |  foo.isra.0(); /* = 0x0 */')).toMatchObject({ kind: 'untimed', cpu: -1, name: 'funcgraph_entry' });
  });

  it('relative times (funcgraph-reltime) count from the buffer\'s start, which no other log knows: untimed', () => {
    expect(scan('       12 us |   3)               |  /* kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0000000080528a6c */')).toMatchObject({ kind: 'untimed', cpu: 3, name: 'kvm_exit' });
    // With funcgraph-abstime too, print_graph_prologue prints both: the absolute time is the event's.
    expect(scan('  412.880211 |          0 us |   13)  CPU 1/K-4326  |               |  /* kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0 */')).toMatchObject({
      kind: 'timed', ts: 412_880_211_000, cpu: 13, comm: 'CPU 1/K', pid: 4326, name: 'kvm_exit',
    });
  });

  it('any one column anchors a line: the time alone, or the task alone', () => {
    expect(scan('  412.880211 |  /* kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0 */')).toMatchObject({ kind: 'timed', ts: 412_880_211_000, cpu: -1, name: 'kvm_exit' });
    expect(scan(' CPU 1/K-4326  | handle_exit() {')).toMatchObject({ kind: 'untimed', comm: 'CPU 1/K', pid: 4326, name: 'funcgraph_entry' });
  });

  it('functions of modules (%ps: ` [kvm]`), with funcgraph-args, and with funcgraph-retaddr', () => {
    expect(scan(' 13)               |  kvm_arch_vcpu_ioctl_run [kvm]() {')).toMatchObject({ name: 'funcgraph_entry' });
    expect(scan(' 13)   0.300 us    |    vgic_mmio_write [kvm]();')).toMatchObject({ name: 'funcgraph_entry' });
    expect(scan(' 0)               |  do_sys_open(dfd=-100, filename=0xffff0000, flags=0, mode=0) {')).toMatchObject({ name: 'funcgraph_entry' });
    expect(scan(' 0)               |  vfs_read() { /* <-ksys_read+0x6c/0x100 */')).toMatchObject({ name: 'funcgraph_entry' });
  });

  it('a comment left open on its line is told apart (the next lines may close it)', () => {
    expect(opensGraphComment(' 1)               |  /* kvm_guest_fault: ipa 0x9000000, esr')).toBe(true);
    expect(opensGraphComment(' 1)               |  /* kvm_guest_fault: ipa 0x9000000 */')).toBe(false);
    expect(opensGraphComment('/* a comment in prose')).toBe(false);
  });

  it('decorations are recognized; prose and other layouts are not graph lines', () => {
    expect(isGraphDecoration(' ------------------------------------------')).toBe(true);
    expect(isGraphDecoration(' 1)   ==========>')).toBe(true);
    expect(isGraphDecoration(' 1)               |  kvm_exit() {')).toBe(false);
    for (const line of ['Hello | world', 'see (1) below', 'a) first point', '| table | row |', 'foo() {', '}', '[  412.883121] kvm [4325]: Unsupported FSC']) {
      expect(scan(line), line).toBeNull();
    }
  });
});

describe('function_graph text through the tokenizer', () => {
  it('timed lines are events, untimed ones go to untimed(), switch blocks set the task', () => {
    const got: string[] = [];
    const tok = new FtraceTokenizer({
      event: (e, line) => got.push(`event ${line} ${e.name} ${e.pid} ${e.tsNs}`),
      marker: (m, line) => got.push(`marker ${line} ${m.kind}`),
      other: (text, line) => got.push(`other ${line} ${text}`),
      wrapped: () => undefined,
      untimed: (e, line) => got.push(`untimed ${line} ${e.name} ${e.comm}-${e.pid} ${e.args}`),
    });
    tok.push(
      [
        '# tracer: function_graph',
        ' 1)               |  kvm_handle_guest_abort() {',
        ' ------------------------------------------',
        ' 1)  CPU 0/K-4250   =>  qemu-sy-4242  ',
        ' ------------------------------------------',
        '',
        ' 1)               |    /* kvm_mmio_nisv: ipa 0x10001000, esr 0x92000061, far 0x12e01001, pc 0x80528a6c */',
        ' 3000.000002 |   0)               |  /* kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x80528a6c */',
        'some prose',
      ].join('\n'),
    );
    tok.end();
    expect(got).toEqual([
      'marker 1 tracer',
      'untimed 2 funcgraph_entry <...>--1 |  kvm_handle_guest_abort() {',
      'marker 3 comment',
      'marker 4 comment',
      'marker 5 comment',
      'untimed 7 kvm_mmio_nisv qemu-sy-4242 ipa 0x10001000, esr 0x92000061, far 0x12e01001, pc 0x80528a6c',
      'event 8 kvm_exit -1 3000000002000',
      'other 9 some prose',
    ]);
  });
});

describe('function_graph text as pasted', () => {
  function run(lines: string[]): string[] {
    const got: string[] = [];
    const tok = new FtraceTokenizer({
      event: (e, line, endLine) => got.push(`event ${line}-${endLine} ${e.name} ${e.args}`),
      marker: () => undefined,
      other: (text, line) => got.push(`other ${line} ${text}`),
      wrapped: (line, parts) => got.push(`wrapped ${line} ${parts}`),
      untimed: (e, line) => got.push(`untimed ${line} ${e.name} ${e.args}`),
    });
    tok.push(lines.join('\n') + '\n');
    tok.end();
    return got;
  }

  it('a comment wrapped by a mailer over three lines is read joined', () => {
    expect(
      run([
        ' 1)               |    /* kvm_guest_fault: ipa 0x9000000,',
        'hsr 0x93810047, hxfar 0xffff800009000000,',
        'pc 0xffff80001073c080 */',
        ' 3000.000001 |   1)               |  /* kvm_mmio_nisv: ipa 0x10001000, esr 0x92000061,',
        'far 0x12e01001, pc 0x80528a6c */',
      ]),
    ).toEqual([
      'wrapped 1 3',
      'untimed 1 kvm_guest_fault ipa 0x9000000, hsr 0x93810047, hxfar 0xffff800009000000, pc 0xffff80001073c080',
      'wrapped 4 2',
      'event 4-5 kvm_mmio_nisv ipa 0x10001000, esr 0x92000061, far 0x12e01001, pc 0x80528a6c',
    ]);
  });

  it('a graph line is whole: the line after it is never taken as its rest', () => {
    const entry = '  412.880215 |   13)               |  /* kvm_entry: PC: 0xffff800008117cd4 */';
    expect(entry.length).toBeGreaterThanOrEqual(70);
    expect(run([entry, '412.880216 is not a line of the graph (Overruns: 3)'])).toEqual([
      'event 1-1 kvm_entry PC: 0xffff800008117cd4',
      'other 2 412.880216 is not a line of the graph (Overruns: 3)',
    ]);
  });

  it('trace-cmd report\'s funcgraph events wrapped by a mailer keep their arguments', () => {
    expect(run(['            ruby-2564  [001] 107227.460779: funcgraph_entry:', '|  sys_open() {', '            ruby-2564  [001] 107227.460794: funcgraph_entry:', '3.518 us   |          _cond_resched();'])).toEqual([
      'wrapped 1 2',
      'event 1-2 funcgraph_entry |  sys_open() {',
      'wrapped 3 2',
      'event 3-4 funcgraph_entry 3.518 us   |          _cond_resched();',
    ]);
  });

  it('sample 043 (trace-cmd report of function_graph) wrapped at 72 columns reads as the original', () => {
    const text = readFileSync(join(__dirname, '../../../../../shared/samples/logs/043-trace-cmd-report-v6-header-function-graph.log'), 'utf8');
    // A mailer's wrap: words moved to the next line, the breaking space dropped.
    const wrap = (line: string): string[] => {
      const out: string[] = [];
      let rest = line;
      while (rest.length > 72) {
        const at = rest.lastIndexOf(' ', 72);
        if (at <= 0) break;
        out.push(rest.slice(0, at));
        rest = rest.slice(at + 1).trimStart();
      }
      return [...out, rest];
    };
    const events = (t: string): string[] => {
      const got: string[] = [];
      const tok = new FtraceTokenizer({ event: (e) => got.push(`${e.name} ${e.tsNs} ${e.args}`), marker: () => undefined, other: () => undefined, wrapped: () => undefined, untimed: (e) => got.push(`untimed ${e.name}`) });
      tok.push(t);
      tok.end();
      return got;
    };
    const wrapped = text.split('\n').flatMap(wrap).join('\n');
    expect(wrapped.split('\n').length).toBeGreaterThan(text.split('\n').length + 30);
    expect(events(wrapped)).toEqual(events(text));
    expect(events(text).length).toBe(39);
  });

  it('under another tracer\'s header, lines that look like a graph are prose', () => {
    expect(run(['# tracer: nop', ' 2) run();', ' 3) /* wait a bit */'])).toEqual(['other 2  2) run();', 'other 3  3) /* wait a bit */']);
  });
});

describe('function_graph text is sniffed as ftrace', () => {
  it('also pasted without its header', () => {
    const lines = [' 1)               |  kvm_handle_guest_abort() {', ' 1)   0.541 us    |    kvm_vcpu_trap_get_fault();', ' 1)               |    /* kvm_mmio_nisv: ipa 0x10001000, esr 0x92000061, far 0x12e01001, pc 0x80528a6c */', ' 1) + 12.583 us   |  }'];
    expect(sniffFtraceText(Buffer.from(lines.join('\n') + '\n'), 'paste.txt')).toBeGreaterThanOrEqual(0.9);
    expect(sniffFtraceText(Buffer.from('a) one\nb) two | three\nc) four\n'), 'notes.txt')).toBe(0);
  });
});

