// The ftrace text tokenizer on real captures (../shared/samples/logs, ground truth in INDEX.md there) and on
// the line forms the kernel and trace-cmd print (kernel/trace/trace_output.c, trace-cmd report).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKvmEvent } from '../../../../main/core/ingest/ftrace/kvm-events';
import { FtraceTokenizer } from '../../../../main/core/ingest/ftrace/tokenizer';
import { rereadArgs } from '../../../../main/core/ingest/ftrace/reread';
import { parseEventLine, parseMarkerLine, type EventLine, type MarkerLine } from '../../../../main/core/ingest/ftrace/line';
import { emptyScannedLine, scanEventBytes, scanEventLine, type ScannedLine } from '../../../../main/core/ingest/ftrace/event-line';

const LOGS = join(__dirname, '../../../../../shared/samples/logs');

type Ev = Omit<EventLine, 'reset' | 'text' | 'argsAt'> & { line: number; endLine: number; start: number; end: number };

interface Got {
  events: Ev[];
  markers: MarkerLine[];
  other: string[];
  wrapped: number;
  dialect: string;
}

/** `bytes`: push each piece with its Latin-1 bytes too (as the tokenizer thread does for ASCII input). */
/** A tokenizer whose sink records everything it is given, in `got`. */
function recording(): { got: Got; t: FtraceTokenizer } {
  const got: Got = { events: [], markers: [], other: [], wrapped: 0, dialect: '' };
  const t = new FtraceTokenizer({
    event: (e, line, endLine, start, end) =>
      got.events.push({ comm: e.comm, pid: e.pid, tgid: e.tgid, cpu: e.cpu, flags: e.flags, tsNs: e.tsNs, tsBig: e.tsBig, counter: e.counter, latency: e.latency, name: e.name, args: e.args, line, endLine, start, end }),
    marker: (m) => got.markers.push(m),
    other: (o) => got.other.push(o),
    wrapped: () => got.wrapped++,
  });
  return { got, t };
}

function tokenize(text: string, pieces = 1, bytes = false): Got {
  const { got, t } = recording();
  // Feed in `pieces` arbitrary splits: lines cut across chunks must come out whole.
  const size = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += size) {
    const piece = text.slice(i, i + size);
    if (bytes) t.push(piece, Buffer.from(piece, 'latin1'));
    else t.push(piece);
  }
  t.end();
  got.dialect = t.dialect;
  return got;
}

describe('real ftrace captures', () => {
  it('039: a mailed kvm_exit/kvm_entry loop, every event wrapped after "TRAP: " / "PC: "', () => {
    const text = readFileSync(join(LOGS, '039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log'), 'utf8');
    for (const pieces of [1, 7, 97]) {
      const g = tokenize(text, pieces);
      // INDEX.md: 21 events, 11 kvm_exit (all TRAP, EC 0x18 SYS64) + 10 kvm_entry, comm kvm-vcpu-0-88776 CPU 001
      expect(g.events.length).toBe(21);
      expect(g.events.filter((e) => e.name === 'kvm_exit').length).toBe(11);
      expect(g.events.filter((e) => e.name === 'kvm_entry').length).toBe(10);
      expect(new Set(g.events.map((e) => `${e.comm}|${e.pid}|${e.cpu}`))).toEqual(new Set(['kvm-vcpu-0|88776|1']));
      expect(g.events[0]).toMatchObject({ flags: '...1.', tsNs: 6_076_581_774_000, args: 'TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c', line: 2, endLine: 3 });
      expect(g.events[1]).toMatchObject({ name: 'kvm_entry', flags: 'd..1.', args: 'PC: 0x0000000080528a6c' });
      // the guest PCs cycle 0x80528a6c -> 0x80528a90 -> 0x80528a60
      expect(g.events.filter((e) => e.name === 'kvm_exit').slice(0, 3).map((e) => e.args.slice(-10))).toEqual(['0080528a6c', '0080528a90', '0080528a60']);
      expect(g.wrapped).toBe(21);
      expect(g.other).toEqual(['ftrace:']);
    }
  });

  it('042: a raw per-CPU tracefs file after a shell prompt, 4-character flags', () => {
    const g = tokenize(readFileSync(join(LOGS, '042-ftrace-raw-tracer-nop-header-qemuarm64-percpu.log'), 'utf8'));
    expect(g.dialect).toBe('tracefs');
    expect(g.markers[0]).toEqual({ kind: 'tracer', tracer: 'nop' });
    expect(g.markers).toContainEqual({ kind: 'entries', inBuffer: 19704, written: 19704, cpus: 6 });
    expect(g.events.map((e) => [e.comm, e.pid, e.cpu, e.flags, e.tsNs, e.name, e.args])).toEqual([
      ['<idle>', 0, 3, 'd.h1', 346_216_802_000, 'irq_handler_entry', 'irq=11 name=arch_timer'],
      ['<idle>', 0, 3, 'd.h1', 346_216_862_000, 'irq_handler_exit', 'irq=11 ret=handled'],
    ]);
    expect(g.other).toEqual(['root@qemuarm64:~# cat output_to_send']);
  });

  it('043: trace-cmd report with version/empty-CPU/cpus header and function_graph columns', () => {
    const g = tokenize(readFileSync(join(LOGS, '043-trace-cmd-report-v6-header-function-graph.log'), 'utf8'));
    expect(g.dialect).toBe('trace-cmd');
    expect(g.markers.slice(0, 3)).toEqual([{ kind: 'version', version: 6 }, { kind: 'cpu-empty', cpu: 0 }, { kind: 'cpus', cpus: 2 }]);
    // INDEX.md: 39 funcgraph_entry/exit events, CPU 001, pid 2564 (ruby)
    expect(g.events.length).toBe(39);
    expect(new Set(g.events.map((e) => `${e.comm}|${e.pid}|${e.cpu}|${e.flags}`))).toEqual(new Set(['ruby|2564|1|null']));
    expect(new Set(g.events.map((e) => e.name))).toEqual(new Set(['funcgraph_entry', 'funcgraph_exit']));
    expect(g.events[0]).toMatchObject({ tsNs: 107_227_460_641_000, args: '7.076 us   |  __math_state_restore();' });
  });

  it('the same 039 paste quoted in a reply ("> ") reads the same', () => {
    const text = readFileSync(join(LOGS, '039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log'), 'utf8');
    const quoted = text.split('\n').map((l) => '> ' + l).join('\n');
    const a = tokenize(text);
    const b = tokenize(quoted);
    expect(b.events.map((e) => [e.name, e.tsNs, e.args])).toEqual(a.events.map((e) => [e.name, e.tsNs, e.args]));
  });
});

describe('event lines of both dialects', () => {
  it('reads the TGID column (record-tgid), unknown TGIDs, comms with spaces and dashes', () => {
    expect(parseEventLine('            bash-1977    (   1977) [000] ...1.  1088.316245: sys_enter: NR 63 (3, 0)')).toMatchObject({ comm: 'bash', pid: 1977, tgid: 1977, cpu: 0, flags: '...1.' });
    expect(parseEventLine('           <...>-1234    (-------) [002] ....  1234.567890: kvm_entry: PC: 0x0000ffff8a3b1c44')).toMatchObject({ comm: '<...>', pid: 1234, tgid: null, name: 'kvm_entry' });
    expect(parseEventLine(' npm view xz-dec-11072 [000]   450.004043: sched_waking:         comm=node pid=11074 prio=120 target_cpu=000')).toMatchObject({
      comm: 'npm view xz-dec',
      pid: 11072,
      name: 'sched_waking',
      args: 'comm=node pid=11074 prio=120 target_cpu=000',
    });
    expect(parseEventLine('       CPU 3/KVM-4253    [003] d..1.  1000.000004: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0')).toMatchObject({ comm: 'CPU 3/KVM', pid: 4253 });
  });

  it('reads every irqs-off flag, b (bottom halves off, Linux 5.18) among them, in both layouts', () => {
    for (const f of ['d', 'D', 'b', 'X', '.']) {
      const flags = `${f}Ns2.`;
      expect(parseEventLine(`      ksoftirqd/3-31      [003] ${flags}  1000.000004: softirq_entry: vec=3 [action=NET_RX]`)).toMatchObject({ comm: 'ksoftirqd/3', cpu: 3, flags, name: 'softirq_entry' });
      expect(parseEventLine(`ksoftirq-31      3${flags} 1000.000004: softirq_entry: vec=3 [action=NET_RX]`)).toMatchObject({ cpu: 3, flags });
    }
    expect(parseEventLine('      ksoftirqd/3-31      [003] cNs2.  1000.000004: softirq_entry: vec=3')).toBeNull();
  });

  it('timestamps become integer ns from the digits, any number of fraction digits', () => {
    expect(parseEventLine('  a-1 [000] 12.5: e: x')?.tsNs).toBe(12_500_000_000);
    expect(parseEventLine('  a-1 [000] 12.000000001: e: x')?.tsNs).toBe(12_000_000_001);
    // a clock that does not count ns (counter, x86-tsc) prints a bare count (trace_print_time "%12llu"): the
    // count as it is, marked as one, exact beyond 2^53
    expect(parseEventLine('  a-1 [000] 123456789: e: x')).toMatchObject({ tsNs: 123_456_789, tsBig: null, counter: true });
    expect(parseEventLine('  a-1 [000] 12.5: e: x')?.counter).toBe(false);
    expect(parseEventLine('  a-1 [000] 9007199254740993: e: x')).toMatchObject({ tsBig: 9_007_199_254_740_993n, counter: true });
    // beyond what storage holds (int64 ns, ~292 years): not an event line of any trace
    expect(parseEventLine('  a-1 [000] 9223372036854775808: e: x')).toBeNull();
    expect(parseEventLine('  a-1 [000] 9223372037.000000: e: x')).toBeNull();
    expect(parseEventLine('  a-1 [000] 9223372036854775807: e: x')?.tsBig).toBe(9_223_372_036_854_775_807n);
    // beyond 2^53 ns the exact value is kept as bigint
    const big = parseEventLine('  a-1 [000] 999999999.123456789: e: x');
    expect(big?.tsBig).toBe(999_999_999_123_456_789n);
    // 2^53 ns is 9007199.254740992 s: the second that holds it is read as bigint from its start, by the
    // expression and by the byte scanner alike.
    for (const [line, exact] of [['  a-1 [000] 9007199.254740993: e: x', 9_007_199_254_740_993n], ['  a-1 [000] 9007198.999999999: e: x', null]] as const) {
      expect(parseEventLine(line)?.tsBig).toBe(exact);
      const out = emptyScannedLine();
      expect(scanEventBytes(Buffer.from(line, 'latin1'), 0, line, out)).toBe(true);
      expect(out.tsBig).toBe(exact);
    }
    expect(parseEventLine('  a-1 [000] 9007198.999999999: e: x')?.tsNs).toBe(9_007_198_999_999_999);
  });

  it('trace-cmd report --ts-diff: the time since the CPU\'s event before is neither the name nor an argument', () => {
    // trace-cmd 3.1.6 `report --ts-diff` of a KVM trace (trace-output.c: "(+%lld)" after the timestamp).
    const g = tokenize(`cpus=4
       CPU 0/KVM-4251  [001]  3000.000100:          kvm_exit:             TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010a1b2c4
       CPU 0/KVM-4251  [001]  3000.000102: (+2000)  kvm_guest_fault:      ipa 0x9002000, hsr 0x92000061, hxfar 0xffff80000a002004, pc 0xffff800010a1b2c4
       CPU 0/KVM-4251  [001]  3000.000120: (+10000) kvm_entry:            PC: 0xffff800010a1b2c4
`);
    expect(g.events.map((e) => [e.name, e.tsNs, e.args])).toEqual([
      ['kvm_exit', 3_000_000_100_000, 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010a1b2c4'],
      ['kvm_guest_fault', 3_000_000_102_000, 'ipa 0x9002000, hsr 0x92000061, hxfar 0xffff80000a002004, pc 0xffff800010a1b2c4'],
      ['kvm_entry', 3_000_000_120_000, 'PC: 0xffff800010a1b2c4'],
    ]);
  });

  it('the function tracer prints no event name', () => {
    expect(parseEventLine('            bash-1977  [000] ....  1088.316245: do_sys_open <-do_syscall_64')).toMatchObject({ name: 'function', args: 'do_sys_open <-do_syscall_64' });
  });

  it('markers: dropped and lost events, buffers started, stack frames', () => {
    expect(parseMarkerLine('CPU:0 [1056508 EVENTS DROPPED]')).toEqual({ kind: 'dropped', cpu: 0, count: 1056508 });
    expect(parseMarkerLine('CPU:3 [EVENTS DROPPED]')).toEqual({ kind: 'dropped', cpu: 3, count: null });
    expect(parseMarkerLine('CPU:2 [LOST 1234 EVENTS]')).toEqual({ kind: 'dropped', cpu: 2, count: 1234 });
    expect(parseMarkerLine('##### CPU 2 buffer started ####')).toEqual({ kind: 'buffer-started', cpu: 2 });
    expect(parseMarkerLine('=> try_to_wake_up (ffffffffa8902e5f)')).toEqual({ kind: 'frame', text: '=> try_to_wake_up (ffffffffa8902e5f)' });
  });

  it('folds stack frames into the event before them; CRLF and ^M line ends', () => {
    const g = tokenize(
      '       trace-cmd-86689 [003] 11370.816179: kernel_stack:         <stack trace >\r\n=> try_to_wake_up (ffffffffa8902e5f)\r\n=> default_wake_function (ffffffffa890327a)^M\n       trace-cmd-86689 [003] 11370.816180: sched_waking: comm=x pid=1 prio=120 target_cpu=000\n',
    );
    expect(g.events.map((e) => [e.name, e.args, e.line, e.endLine])).toEqual([
      ['kernel_stack', '<stack trace >\n=> try_to_wake_up (ffffffffa8902e5f)\n=> default_wake_function (ffffffffa890327a)', 1, 3],
      ['sched_waking', 'comm=x pid=1 prio=120 target_cpu=000', 4, 4],
    ]);
  });

  it('re-joins an event line wrapped inside its prefix', () => {
    const g = tokenize('       kvm-vcpu-0-88776   [001] ...1.\n6076.581774: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c\n');
    expect(g.events.map((e) => [e.comm, e.pid, e.tsNs, e.name, e.line, e.endLine])).toEqual([['kvm-vcpu-0', 88776, 6_076_581_774_000, 'kvm_exit', 1, 2]]);
  });

  it('gives each event the offsets of its lines, and reads the stored lines back to the same arguments', () => {
    const text = readFileSync(join(LOGS, '039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log'), 'utf8');
    const g = tokenize(text, 13);
    expect(text.slice(g.events[0]!.start, g.events[0]!.end)).toBe(
      '       kvm-vcpu-0-88776   [001] ...1.  6076.581774: kvm_exit: TRAP: \nHSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c\n',
    );
    const stored = text.slice(g.events[0]!.start, g.events.at(-1)!.end);
    expect(rereadArgs(stored)).toEqual(g.events.map((e) => e.args));
  });

  it('does not glue unrelated text to a complete event', () => {
    const g = tokenize('  a-1 [000] 1.000001: kvm_entry: PC: 0x0000000080528a6c\nroot@host:~# echo done\n');
    expect(g.events.map((e) => e.args)).toEqual(['PC: 0x0000000080528a6c']);
    expect(g.other).toEqual(['root@host:~# echo done']);
  });

  // kvm_guest_fault as arch/arm64/kvm/trace_arm.h prints it, in a tracefs line 133 columns long.
  const FAULT = '       CPU 0/KVM-4250    [001] ...1.  3000.000102: kvm_guest_fault: ipa 0x9002000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c280';
  const FAULT_ARGS = 'ipa 0x9002000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c280';

  it('does not take what follows a long, whole event line for its wrapped end', () => {
    // The next command at a shell, a mail's signature after a quoted paste, the echo of ^C on a console.
    for (const [text, after] of [
      [`${FAULT}\ncat /proc/interrupts\n`, 'cat /proc/interrupts'],
      [`> ${FAULT}\nBest regards,\n`, 'Best regards,'],
      [`${FAULT}\r\n^C\r\n`, '^C'],
    ] as const) {
      const g = tokenize(text);
      expect(g.events.map((e) => [e.name, e.args, e.endLine]), text).toEqual([['kvm_guest_fault', FAULT_ARGS, 1]]);
      expect(g.other).toEqual([after]);
      expect(g.wrapped).toBe(0);
    }
  });

  it('re-joins an event line cut right after its timestamp, and a hex value cut at any width', () => {
    const cut = FAULT.indexOf('kvm_guest_fault');
    const afterStamp = tokenize(`${FAULT.slice(0, cut)}\n${FAULT.slice(cut)}\n`);
    expect(afterStamp.events.map((e) => [e.name, e.args, e.tsNs, e.line, e.endLine])).toEqual([['kvm_guest_fault', FAULT_ARGS, 3_000_000_102_000, 1, 2]]);
    const inHex = FAULT.indexOf('02000, pc');
    const g = tokenize(`${FAULT.slice(0, inHex)}\n${FAULT.slice(inHex)}\n`);
    expect(g.events.map((e) => [e.name, e.args, e.endLine])).toEqual([['kvm_guest_fault', FAULT_ARGS, 2]]);
    // Both read back from their stored lines the same.
    expect(rereadArgs(`${FAULT.slice(0, inHex)}\n${FAULT.slice(inHex)}\n`)).toEqual([FAULT_ARGS]);
  });

  /** `fold -w width`: every line cut into pieces of `width` characters, nothing dropped. */
  const fold = (text: string, width: number): string =>
    text
      .split('\n')
      .map((l) => (l.length <= width ? l : (l.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\n')))
      .join('\n');
  const EXIT = '       CPU 0/KVM-4250    [001] d..1.  3000.000101: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073c280';
  const ENTRY = '       CPU 0/KVM-4250    [001] d..1.  3000.000401: kvm_entry: PC: 0xffff80001073c284';

  it("a terminal's cut keeps every character of the next line, its leading spaces too", () => {
    // Cut right before a space: `… ipa 0x9002000,` ⏎ ` hsr 0x93c08006, …` (the space used to be dropped).
    const at = FAULT.indexOf(' hsr');
    for (const width of [at, 72, 76, 80]) {
      const text = width === at ? `${FAULT.slice(0, at)}\n${FAULT.slice(at)}\n` : fold(`${EXIT}\n${FAULT}\n${ENTRY}\n`, width) + '\n';
      const g = tokenize(text);
      expect(g.events.map((e) => e.args), `width ${width}`).toEqual(width === at ? [FAULT_ARGS] : [EXIT, FAULT, ENTRY].map((l) => l.slice(l.indexOf(': ', l.indexOf('_')) + 2)));
      expect(rereadArgs(text), `width ${width}`).toEqual(g.events.map((e) => e.args));
    }
    // Not a known payload: the text is the line's, its spaces where they were.
    const sched = '          <idle>-0       [002] d..2.  3000.000200: sched_switch: prev_comm=swapper/2 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=CPU 0/KVM next_pid=4250 next_prio=120';
    expect(tokenize(fold(sched, 80) + '\n').events.map((e) => e.args)).toEqual([sched.slice(sched.indexOf('prev_comm'))]);
  });

  it("trace-cmd report -l of a file with instances: the instance's name is cut from the 8-character comm", () => {
    // print_handle_file's "%*s: " before the latency layout's "%8.8s-%-5d".
    const g = tokenize(['inst1: CPU 0/KV-500     0d..1.   400.000002: kvm_entry: PC: 0x1', '       CPU 1/KV-501     1d..1.   400.000003: kvm_entry: PC: 0x2'].join('\n') + '\n');
    expect(g.events.map((e) => [e.comm, e.pid, e.cpu, e.latency])).toEqual([
      ['CPU 0/KV', 500, 0, true],
      ['CPU 1/KV', 501, 1, true],
    ]);
    // In the default layout a comm that fits the kernel's 15 characters is kept whole, `: ` and all.
    expect(tokenize('  fix: CPU 0/KVM-500 [000] 400.000002: kvm_entry: PC: 0x1\n').events.map((e) => e.comm)).toEqual(['fix: CPU 0/KVM']);
  });

  it('trace-cmd report -R -l: the flags printed raw ("-0x%x") after the CPU are read as the latency layout\'s', () => {
    // trace-cmd 3.1.6 `report -R -l` of a trace.dat holding these three kvm_entry events (pid 4250 on CPU 0
    // with common_flags 0x1d, pid 123456 on CPU 11 with 0x1, the idle task on CPU 3 with 0xff).
    const g = tokenize(
      [
        'cpus=12',
        'CPU 0/KV-4250    0-0x1d  1000.000001: kvm_entry:             vcpu_pc=0x0000000000000001',
        '       x-123456  11-0x1  1000.000002: kvm_entry:             vcpu_pc=0x0000000000000001',
        '  <idle>-0       3-0xff  1000.000003: kvm_entry:             vcpu_pc=0x0000000000000001',
      ].join('\n') + '\n',
    );
    expect(g.events.map((e) => [e.comm, e.pid, e.cpu, e.flags, e.latency, e.tsNs, e.name, e.args])).toEqual([
      ['CPU 0/KV', 4250, 0, '0x1d', true, 1_000_000_001_000, 'kvm_entry', 'vcpu_pc=0x0000000000000001'],
      ['x', 123456, 11, '0x1', true, 1_000_000_002_000, 'kvm_entry', 'vcpu_pc=0x0000000000000001'],
      ['<idle>', 0, 3, '0xff', true, 1_000_000_003_000, 'kvm_entry', 'vcpu_pc=0x0000000000000001'],
    ]);
    // Not that form: upper-case digits (printed "%x"), no digits, more than a 32-bit value, no space after.
    for (const miss of ['a-1  0-0xAB  1.0: e: x', 'a-1  0-0x  1.0: e: x', 'a-1  0-0x123456789  1.0: e: x', 'a-1  0-0x1d1.0: e: x']) {
      expect(parseEventLine(miss), miss).toBeNull();
    }
  });

  it("a wrapped line's rest that starts with `>` keeps it: mail quoting is only the quoting the event's line carries", () => {
    // tracefs sched_switch (include/trace/events/sched.h: "… prev_state=%s%s ==> next_comm=%s …") cut by a
    // terminal 128 columns wide between `==` and `>`; trace-cmd 3.1.6 report's kvm_exit cut by one 93 wide
    // inside the plugin's `<CANT FIND FIELD exit_reason>` (plugin_kvm.c, see trace-cmd-forms.test.ts).
    const sched = '       CPU 0/KVM-4250    [002] d..2.  3000.000300: sched_switch: prev_comm=CPU 0/KVM prev_pid=4250 prev_prio=120 prev_state=S ==> next_comm=swapper/2 next_pid=0 next_prio=120';
    const exit = '       CPU 0/KVM-4250  [000]  1000.000000: kvm_exit:             <CANT FIND FIELD exit_reason>SERROR: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073c000';
    const cases = [
      { line: sched, width: 128, args: 'prev_comm=CPU 0/KVM prev_pid=4250 prev_prio=120 prev_state=S ==> next_comm=swapper/2 next_pid=0 next_prio=120' },
      { line: exit, width: 93, args: 'SERROR: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073c000' },
    ];
    for (const { line, width, args } of cases) {
      const [head, rest] = [line.slice(0, width), line.slice(width)];
      expect(rest.startsWith('>')).toBe(true);
      const texts = {
        // A file nobody quoted: the rest is text, its `>` too.
        file: `${head}\n${rest}\n`,
        // Quoted in a reply, each line with "> " (mutt), or with ">" before a line that starts with ">" already.
        'quoted "> "': `> ${head}\n> ${rest}\n`,
        'quoted ">"': `> ${head}\n>${rest}\n`,
        'quoted twice': `> > ${head}\n> > ${rest}\n`,
      };
      for (const [form, text] of Object.entries(texts)) {
        const g = tokenize(text);
        expect(g.events.map((e) => [e.args, e.endLine]), `${form}: ${line.slice(60, 80)}`).toEqual([[args, 2]]);
        expect(rereadArgs(text), form).toEqual([args]);
        expect(tokenize(text, 1, true).events.map((e) => e.args), form).toEqual([args]);
      }
    }
  });

  it("trace-cmd's plugin messages cut by a wrap are read past once the event is joined", () => {
    // plugins/plugin_kvm.c reads x86's fields on arm64: `<CANT FIND FIELD exit_reason>` before the text.
    const line = '       CPU 0/KVM-1005  [000]  5000.000001234: kvm_exit:             <CANT FIND FIELD exit_reason>SERROR: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001000';
    const g = tokenize(fold(line, 80) + '\n');
    expect(g.events.map((e) => [e.name, e.args, e.endLine])).toEqual([['kvm_exit', 'SERROR: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001000', 2]]);
  });

  it('a whole known payload does not take the prose or prompt after it, though its line is 70-80 columns', () => {
    const entry80 = '      CPU 0/KVM-2010  [001] d..1   100.000400: kvm_entry: PC: 0xffff800010001004';
    expect(entry80.length).toBe(80);
    for (const after of ['Because the exit above never returns, the vCPU hangs.', 'root@altra-01:~# ', '[  101.000000] kvm: exiting hardware virtualization']) {
      const g = tokenize(`${entry80}\n${after}\n`);
      expect(g.events.map((e) => [e.args, e.endLine]), after).toEqual([['PC: 0xffff800010001004', 1]]);
      expect(g.other).toEqual([after]);
    }
    // A value of more than 64 bits is no value: a line glued to a PC does not read as one.
    expect(parseKvmEvent('kvm_entry', 'PC: 0xffff800010001004Because the exit')).toBeNull();
    expect(parseKvmEvent('kvm_entry', 'PC: 0xffff80001000100400')).toBeNull();
  });

  it("a KVM event's name cut by a terminal's width is read joined; a one-word trace_printk is left as it is", () => {
    const line = '     CPU 0/KVM-4321    [002] d..1.  1234.567891: kvm_guest_fault: ipa 0x8010000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff80001073cd5c';
    for (const width of [60, 62, 64, 66]) {
      const g = tokenize(fold(line, width) + '\n');
      expect(g.events.map((e) => [e.name, e.args]), `width ${width}`).toEqual([['kvm_guest_fault', 'ipa 0x8010000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff80001073cd5c']]);
      expect(rereadArgs(fold(line, width) + '\n'), `width ${width}`).toEqual(['ipa 0x8010000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff80001073cd5c']);
    }
    const g = tokenize('     CPU 0/KVM-4321    [002] d..1.  1234.567891: hello\nworld: not an event\n');
    expect(g.events.map((e) => [e.name, e.args])).toEqual([['print', 'hello']]);
  });

  it('a whole payload takes no line that only follows it, though that line reads on as hex', () => {
    // `val 0x41` ⏎ `a second …`: `0x41a` would read; a terminal's cut leaves one token, and the line is no width.
    const after = (event: string, line: string): unknown[] => tokenize(`     CPU 0/KVM-4321    [002] d..1.  1234.567893: ${event}\n${line}\n`).events.map((e) => e.args);
    expect(after('kvm_mmio: mmio write len 4 gpa 0x9000000 val 0x41', 'a second write follows, see below')).toEqual(['mmio write len 4 gpa 0x9000000 val 0x41']);
    expect(after('kvm_access_fault: IPA: 8010000', '0 events were lost here')).toEqual(['IPA: 8010000']);
    expect(after('kvm_handle_sys_reg: HSR 0x6232', 'be careful')).toEqual(['HSR 0x6232']);
  });

  it('of the readings of ambiguous joins, the first whose payload is the whole text is taken', () => {
    // fold -w 68: `ip` ⏎ `a 0x8010000, … pc 0xffff8000` ⏎ `1073cd5c`. `ipa …, pc 0xffff8000 1073cd5c` reads
    // as a prefix with the PC cut short; only `… pc 0xffff80001073cd5c` is the whole text.
    const line = '     CPU 0/KVM-4321    [002] d..1.  1234.567891: kvm_guest_fault: ipa 0x8010000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff80001073cd5c';
    for (const width of [68, 70, 72, 76, 80, 84, 88, 92, 96, 100]) {
      const g = tokenize(fold(line, width) + '\n');
      expect(g.events.map((e) => e.args), `width ${width}`).toEqual(['ipa 0x8010000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff80001073cd5c']);
    }
    // A break right after `(` is a cut: `(%s)` puts no space there (fold -w 81..89 of a kvm_exit).
    const exit = '     CPU 0/KVM-4321    [002] d..1.  1234.567890: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001004';
    const cut = exit.indexOf('(') + 1;
    expect(tokenize(`${exit.slice(0, cut)}\n${exit.slice(cut)}\n`).events.map((e) => e.args)).toEqual(['TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001004']);
  });

  it("a mailer's break that dropped its space, at a word or at a terminal's width, joins with the space back", () => {
    // Broken at 65 columns after `ipa`, and after `pc`: each rest on the next line.
    const short = '       CPU 0/KVM-2010  [001] .....   100.000150: kvm_guest_fault: ipa\n0x9000000, hsr 0x93c08006, hxfar 0xffff800010000000, pc\n0xffff800010001000\n';
    expect(tokenize(short).events.map((e) => [e.args, e.endLine])).toEqual([['ipa 0x9000000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff800010001000', 3]]);
    // Broken at 78 columns, where a terminal's cut would be: the reading without the space does not parse.
    const cut = FAULT.indexOf(' 0xffff800009002000');
    const wide = `  ${FAULT.slice(0, cut)}\n${FAULT.slice(cut + 1)}\n`;
    expect(FAULT.slice(0, cut).length + 2).toBeGreaterThanOrEqual(70);
    expect(tokenize(wide).events.map((e) => e.args)).toEqual([FAULT_ARGS]);
    expect(rereadArgs(wide)).toEqual([FAULT_ARGS]);
  });
});

describe('event lines read from their bytes', () => {
  const fields = (e: ScannedLine): unknown[] => [e.comm, e.pid, e.tgid, e.cpu, e.flags, e.latency, e.tsNs, e.tsBig, e.counter, e.name, e.args];
  /** scanEventBytes on the line's Latin-1 bytes (at an offset inside other text), and the expression's result. */
  const both = (line: string): { bytes: unknown[] | null; expr: unknown[] | null } => {
    const buf = Buffer.from(`xx-1 [0]\n${line}\n7: y`, 'latin1');
    const a = emptyScannedLine();
    const b = emptyScannedLine();
    return { bytes: scanEventBytes(buf, 9, line, a) ? fields(a) : null, expr: scanEventLine(line, b) ? fields(b) : null };
  };

  it('give what the expression gives on the forms of both dialects and on near misses', () => {
    const lines = [
      '            bash-1977    (   1977) [000] ...1.  1088.316245: sys_enter: NR 63 (3, 0)',
      '           <...>-1234    (-------) [002] ....  1234.567890: kvm_entry: PC: 0x0000ffff8a3b1c44',
      ' npm view xz-dec-11072 [000]   450.004043: sched_waking:         comm=node pid=11074 prio=120 target_cpu=000',
      '       CPU 3/KVM-4253    [003] d..1.  1000.000004: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0',
      '        kvm-vcpu-0-88776   [001] ...1.  6076.581774: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c',
      '          <idle>-0       [003] d.h1   346.216802: irq_handler_entry: irq=11 name=arch_timer',
      '      ksoftirqd/3-31      [003] bNs2.  1000.000004: softirq_entry: vec=3 [action=NET_RX]',
      'ksoftirq-31      3bNs2. 1000.000004: softirq_entry: vec=3 [action=NET_RX]',
      '             ruby-2564  [001] 107227.460641: funcgraph_entry:        7.076 us   |  __math_state_restore();',
      '            bash-1977  [000] ....  1088.316245: do_sys_open <-do_syscall_64',
      '  a-1 [000] 12.5: e: x',
      '  a-1 [000] 12.000000001: e: x',
      '  a-1 [000] 12.0000000019876: e: x',
      '  a-1 [000] 123456789: e: x',
      '  a-1 [000] 999999999.123456789: e: x',
      '  a-1 [000] 9007199.254740993: e: x',
      '  a-1 [000] 9007200.000000001: e: x',
      '  a-1 [000] 9007199254740993: e: x',
      '  a-1 [000] 9223372036854775808: e: x',
      '  a-1 [000] 9223372037.000000: e: x',
      '  a-1 [000] 12.5: e:',
      '  a-1 [000] 12.5: e:x',
      '  a-1 [000] 12.5: e',
      '  a-1 [000] 12.5:',
      '  a-1 [000] 12.: e: x',
      '  a-1 [000] .5: e: x',
      '  a-1 [000]12.5: e: x',
      '  a-1 [123456] 12.5: e: x',
      '  a-1 [12345] 12.5: e: x',
      '  a-1 (42) [001] 12.5: e: x',
      '  a-1 ( 42)[001] 12.5: e: x',
      '  a-1 (4-2) [001] 12.5: e: x',
      '  a-1 (--) [001] 12.5: e: x',
      '  a-12345678901234567890 (98765432109876543210) [001] 12.5: e: x',
      '  a-1 [000] d..1 12.5: e: x',
      '  a-1 [000] d..1.12.5: e: x',
      '  a-1 [000] Xn.f. 12.5: e: x',
      '  a-1 [000] dN5 12.5: e: x',
      '  a-1 [000] .Z.a 12.5: e: x',
      '  a-1 [000] dd.1.x 12.5: e: x',
      '  a-1 [000] d 12.5: e: x',
      'CPU 2/KV-4252    1X..1.  1000.000003: kvm_exit:             TRAP: HSR_EC: 0x0017 (SMC64), PC: 0xffff8000100b3194',
      '   <...>-4253    0..s..  1000.000002: kvm_entry:            PC: 0xffff80001025c8d0',
      '  a-1 12d..1 12.5: e: x',
      '  a-1 123456d..1 12.5: e: x',
      '  a-1 1d..1.12.5: e: x',
      '  a-1 1 d..1 12.5: e: x',
      '  a-1 1.5..1 12.5: e: x',
      'CPU 0/KV-4250    0-0x1d  1000.000001: kvm_entry:             vcpu_pc=0x0000000000000001',
      '       x-123456  11-0x1  1000.000002: kvm_entry:             vcpu_pc=0x0000000000000001',
      '  a-1 0-0xAB 12.5: e: x',
      '  a-1 0-0x 12.5: e: x',
      '  a-1 0-0x12345678 12.5: e: x',
      '  a-1 0-0x123456789 12.5: e: x',
      '  a-1 0-0x1d12.5: e: x',
      '  a-1 0-0x1d\t12.5: e: x',
      '  a-1 0-1d 12.5: e: x',
      '  a-1 0--0x1 12.5: e: x',
      '  a-1 12.5: e: x',
      'a-b-c-1 [000] 1.0: n: a-2 [001] 2.0: m: y',
      'x-1 [0] 1.0: a-2 [001] 2.0: m: y',
      '-1 [000] 1.0: e: x',
      '--1 [000] 1.0: e: x',
      ' \t a b-1\t[000]\t1.0:\te.f-g_h:\tx',
      'a\rb-1 [000] 1.0: e: x',
      '\u00a0a-1 [000] 1.0: e: x',
      'a\u00a0b-1 [000] 1.0: e: x',
      'wörker-7 [000] 1.0: e: x',
      'a-1 [000] 1.0: _e1.2-3: x',
      'a-1 [000] 1.0: 1e: x',
      'a-1 [000] 1.0:  e:  x  ',
      'a-1 [000] 1.0: e: x\r',
      '> a-1 [000] 1.0: e: x',
      '',
      '   ',
      '# tracer: nop',
      'CPU:0 [1056508 EVENTS DROPPED]',
    ];
    for (const line of lines) {
      const { bytes, expr } = both(line);
      expect(bytes, line).toEqual(expr);
    }
    // The lines above are not all misses.
    expect(lines.filter((l) => both(l).expr !== null).length).toBeGreaterThan(30);
  });

  it('give what the expression gives on any line built from the grammar’s characters', () => {
    const token = fc.constantFrom(' ', '\t', '-', '1', '42', '000', '[', ']', '[001]', '(', ')', '( 42)', '(---)', '.', ':', ': ', 'd..1.', 'dN.1', 'X', 'e', 'kvm_exit', 'CPU 0/KVM', '<...>', '12.5', '\r', '\u00a0', 'é', '(+2000)', '(+', '+', '1X..1.', '0..s..', '3d', '0-0x1d', '-0x', '0x', 'f');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 24 }), (parts) => {
        const line = parts.join('');
        const { bytes, expr } = both(line);
        expect(bytes).toEqual(expr);
      }),
      { numRuns: 5000 },
    );
    // Real lines with one character changed or removed (the second as trace-cmd report --ts-diff prints it).
    for (const real of [
      '       CPU 3/KVM-4253    (   4242) [003] d..1.  1000.000004: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0',
      '       CPU 0/KVM-4251  [001]  3000.000102: (+2000)  kvm_guest_fault:      ipa 0x9002000, hsr 0x92000061',
    ]) {
      fc.assert(
        fc.property(fc.nat(real.length - 1), fc.constantFrom('', ' ', '-', '9', '[', ']', '(', ')', '+', '.', ':', 'x', '\t'), (at, c) => {
          const line = real.slice(0, at) + c + real.slice(at + 1);
          expect(both(line).bytes).toEqual(both(line).expr);
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('the tokenizer gives the same from bytes as from text for any mix of lines, split anywhere', () => {
    const ev = 'CPU 3/KVM-4253    (   4242) [003] d..1.  1000.000004: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0';
    const lines = fc.constantFrom(
      ev,
      `       ${ev}`,
      `${ev}\r`,
      `${ev}^M`,
      `> ${ev}`,
      '> > bash-1977  [000] ....  1088.316245: sys_enter: NR 63 (',
      '  kvm-vcpu-0-88776   [001] ...1.  6076.581774: kvm_exit: TRAP: ',
      'HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c',
      '            bash-1977  [000] ....  1088.316245: do_sys_open <-do_syscall_64',
      '       trace-cmd-86689 [003] 11370.816179: kernel_stack:         <stack trace >',
      ' => try_to_wake_up (ffffffffa8902e5f)',
      '       kvm-vcpu-0-88776   [001]',
      '...1.  6076.581774: kvm_entry: PC: 0x1',
      'CPU:0 [1056508 EVENTS DROPPED]',
      '# tracer: nop',
      'cpus=2',
      '',
      '   ',
      'prose line with a - dash-1 in it',
      'ends in M',
    );
    fc.assert(
      fc.property(fc.array(lines, { maxLength: 30 }), fc.array(fc.nat(4000), { maxLength: 6 }), fc.boolean(), (ls, cuts, trailing) => {
        const text = ls.join('\n') + (trailing ? '\n' : '');
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((x, y) => x - y);
        const run = (bytes: boolean): Got => {
          const { got, t } = recording();
          let from = 0;
          for (const to of [...at, text.length]) {
            const piece = text.slice(from, to);
            if (bytes) t.push(piece, Buffer.from(piece, 'latin1'));
            else t.push(piece);
            from = to;
          }
          t.end();
          got.dialect = t.dialect;
          return got;
        };
        expect(run(true)).toEqual(run(false));
      }),
      { numRuns: 1500 },
    );
  });

  it('the tokenizer gives the same events, markers and lines from bytes as from text, for every sample log', () => {
    let events = 0;
    for (const name of readdirSync(LOGS).filter((n) => n.endsWith('.log') || n.endsWith('.txt'))) {
      // Read as Latin-1, as the tokenizer thread reads ASCII input (any byte is one character).
      const text = readFileSync(join(LOGS, name), 'latin1');
      for (const pieces of [1, 13]) {
        const fromText = tokenize(text, pieces);
        expect(tokenize(text, pieces, true), name).toEqual(fromText);
        events += fromText.events.length;
      }
    }
    expect(events).toBeGreaterThan(100);
  });
});
