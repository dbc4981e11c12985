// function_graph lines, laid out as kernel/trace/trace_functions_graph.c prints them: print_graph_abs_time
// "%5lu.%06lu |  ", print_graph_cpu " %*d) ", print_graph_proc (comm cut to 7, comm-pid centred in 14) " | ",
// print_graph_duration ("%c " and the duration padded, then "|  ", or 14 spaces and "|  "), two spaces per
// depth, then the graph. Expected values are read off the lines by hand.
import { describe, expect, it } from 'vitest';
import { emptyScannedLine } from '../../../../main/core/ingest/ftrace/event-line';
import { isGraphDecoration, parseGraphSwitch, scanGraphLine, type GraphTasks } from '../../../../main/core/ingest/ftrace/graph-line';
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

  it('without the CPU column (funcgraph-cpu off) the duration column\'s bar anchors the line', () => {
    expect(scan(' 3000.000001 |    2.000 us    |  schedule();')).toMatchObject({ kind: 'timed', ts: 3000_000_001_000, cpu: -1, name: 'funcgraph_entry' });
    expect(scan('  1.000 us    |  foo.isra.0(); /* = 0x0 */')).toMatchObject({ kind: 'untimed', cpu: -1, name: 'funcgraph_entry' });
  });

  it('relative times (funcgraph-reltime): microseconds since the buffer started', () => {
    expect(scan('       12 us |   3)               |  /* kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0000000080528a6c */')).toMatchObject({ kind: 'timed', ts: 12_000, cpu: 3, name: 'kvm_exit' });
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

describe('function_graph text is sniffed as ftrace', () => {
  it('also pasted without its header', () => {
    const lines = [' 1)               |  kvm_handle_guest_abort() {', ' 1)   0.541 us    |    kvm_vcpu_trap_get_fault();', ' 1)               |    /* kvm_mmio_nisv: ipa 0x10001000, esr 0x92000061, far 0x12e01001, pc 0x80528a6c */', ' 1) + 12.583 us   |  }'];
    expect(sniffFtraceText(Buffer.from(lines.join('\n') + '\n'), 'paste.txt')).toBeGreaterThanOrEqual(0.9);
    expect(sniffFtraceText(Buffer.from('a) one\nb) two | three\nc) four\n'), 'notes.txt')).toBe(0);
  });
});

