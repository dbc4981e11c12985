// The trace assembler: exits paired with entries, fault groups, VMs and vCPUs, order and chunking.
// Expected values are worked by hand from the input lines (039's timestamps are read off the log).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FtraceTokenizer } from '../../../../main/core/ingest/ftrace/tokenizer';
import { rereadArgs } from '../../../../main/core/ingest/ftrace/reread';
import { TraceAssembler } from '../../../../main/core/ingest/ftrace/assembler';
import type { AssembledTrace } from '../../../../main/core/ingest/ftrace/trace-summary';
import { CHUNK_EVENTS, decodeColumns, type EncodedChunk } from '../../../../main/core/ingest/ftrace/chunk';
import { parseKvmEvent } from '../../../../main/core/ingest/ftrace/kvm-events';
import { faultKindOf, FaultGrouper, groupKey } from '../../../../main/core/ingest/ftrace/faults';
import type { FaultRecord } from '../../../../main/core/ingest/fault-record';

const LOGS = join(__dirname, '../../../../../shared/samples/logs');

function assemble(text: string): { trace: AssembledTrace; chunks: EncodedChunk[] } {
  const chunks: EncodedChunk[] = [];
  const tok: FtraceTokenizer = new FtraceTokenizer(
    {
      event: (e, line, endLine, start, end) => asm.addText(e, line, endLine, start, end),
      marker: () => undefined,
      other: () => undefined,
      wrapped: () => undefined,
    },
    true,
  );
  const asm = new TraceAssembler('trace', false, (c) => chunks.push(c), (a, b) => tok.textBetween(a, b));
  tok.push(text);
  tok.end();
  return { trace: asm.finish(), chunks };
}

/** One tracefs line with the TGID column. */
function line(comm: string, pid: number, tgid: number | null, cpu: number, us: number, name: string, args: string): string {
  const t = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
  return `${comm.padStart(16)}-${String(pid).padEnd(7)} (${tgid === null ? '-------' : String(tgid).padStart(7)}) [${String(cpu).padStart(3, '0')}] d..1. ${t}: ${name}: ${args}`;
}

describe('exits paired with entries', () => {
  it('039: ten exit/entry pairs on one vCPU thread, 3 µs in the host in all, at most 1 µs', () => {
    // exit->entry times from the log (µs after 6076.581): 774->774, 775->776, 778->778, 779->779,
    // 780->781, 783->783, 784->784, 785->786, 788->788, 789->789; the 11th exit (790) has no entry.
    const { trace } = assemble(readFileSync(join(LOGS, '039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log'), 'utf8'));
    expect(trace.exits).toEqual([{ tid: 88776, ret: 'TRAP', esrEc: 0x18, ecName: 'SYS64', count: 10, totalNs: 3000, minNs: 0, maxNs: 1000 }]);
    expect(trace.unpairedExits).toBe(1);
    // kvm-vcpu-0 is a kvmtool vCPU thread name; without its VMM main thread or a TGID, the VM is unknown
    expect(trace.threads).toEqual([{ tid: 88776, comm: 'kvm-vcpu-0', tgid: null, vmPid: null, vcpuIndex: 0, isVcpu: true }]);
    expect(trace.vms).toEqual([]);
    expect(trace.tracks.filter((t) => t.kind === 'vcpu').map((t) => t.key)).toEqual(['88776']);
  });

  it('pairs per thread, whatever interleaves on other threads', () => {
    const text = [
      line('CPU 0/KVM', 101, 100, 0, 1_000_000, 'kvm_exit', 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000000000001000'),
      line('CPU 1/KVM', 102, 100, 1, 1_000_001, 'kvm_exit', 'IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0000000000002000'),
      line('CPU 1/KVM', 102, 100, 1, 1_000_004, 'kvm_entry', 'PC: 0x0000000000002000'),
      line('CPU 0/KVM', 101, 100, 0, 1_000_010, 'kvm_entry', 'PC: 0x0000000000001004'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.exits.map((s) => [s.tid, s.ret, s.esrEc, s.totalNs]).sort()).toEqual([
      [101, 'TRAP', 0x24, 10_000],
      [102, 'IRQ', 0, 3_000],
    ]);
  });
});

describe('exit pairs beyond 2^53 ns (104 days of uptime)', () => {
  it('the time in the host is exact, though the times as doubles are not', () => {
    // trace-cmd report -t prints ns; 2^53 ns is 9007199.254740992 s, where a double's spacing is 2 ns.
    const ev = (t: string, name: string, args: string): string => `       CPU 0/KVM-4250  [001]  ${t}: ${name}: ${args}`;
    const text = [
      ev('9007199.254740993', 'kvm_exit', 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001000'),
      ev('9007199.254740999', 'kvm_entry', 'PC: 0xffff800010001004'),
      ev('9007199.254741001', 'kvm_exit', 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010001000'),
      ev('9007199.254743001', 'kvm_entry', 'PC: 0xffff800010001004'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.exits).toEqual([{ tid: 4250, ret: 'TRAP', esrEc: 0x24, ecName: 'DABT_LOW', count: 2, totalNs: 2006, minNs: 6, maxNs: 2000 }]);
  });
});

describe('exits of tasks a function_graph trace does not name', () => {
  it('pair per CPU, apart from each other (the default columns and abstime, no proc column)', () => {
    const g = (us: number, cpu: number, ev: string): string => ` 1000.${String(us).padStart(6, '0')} |  ${String(cpu).padStart(2)})               |  /* ${ev} */`;
    const exit = (ret: string, ec: string, name: string): string => `kvm_exit: ${ret}: HSR_EC: 0x00${ec} (${name}), PC: 0x0000000080528a6c`;
    const text = [
      g(1, 12, exit('IRQ', '00', 'UNKNOWN')),
      g(2, 13, exit('TRAP', '24', 'DABT_LOW')),
      g(3, 12, 'kvm_entry: PC: 0x0000000080528a6c'),
      g(5, 13, 'kvm_entry: PC: 0x0000000080528a6c'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.exits.map((x) => [x.ret, x.ecName, x.count, x.totalNs]).sort()).toEqual([
      ['IRQ', 'UNKNOWN', 1, 2000],
      ['TRAP', 'DABT_LOW', 1, 3000],
    ]);
    expect(trace.unpairedExits).toBe(0);
    expect(trace.threads).toEqual([]);
  });

  it('a fault without task or CPU column: its text leaves them out, its CPU track is "CPU ?"', () => {
    const { trace } = assemble(' 3000.000001 |  /* kvm_guest_fault: ipa 0x9000000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c080 */');
    const r = trace.faults[0]!.record;
    expect([r.text, r.cpu, r.pid]).toEqual(['<...> 3000.000001: kvm_guest_fault: ipa 0x9000000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c080', null, null]);
    expect(trace.tracks.filter((t) => t.kind === 'cpu').map((t) => t.label)).toEqual(['CPU ?']);
  });
});

describe('fault groups', () => {
  it('identical kvm_mmio_nisv events are one group with a count and a time range; another PC is another group', () => {
    const nisv = (us: number, pc: string): string => line('CPU 0/KVM', 4250, 4242, 0, us, 'kvm_mmio_nisv', `ipa 0x00000010001008, esr 0x00000092000061, far 0xffff800012e01008, pc 0x${pc}`);
    const lines = [...Array.from({ length: 5 }, (_, i) => nisv(2_000_000 + i * 10, 'ffff80001073cd5c')), nisv(2_000_100, 'ffff80001073cd60')];
    const { trace } = assemble(lines.join('\n'));
    expect(trace.faults.map((g) => [g.record.kind, g.count, g.firstNs, g.lastNs, g.record.pc?.toString(16)])).toEqual([
      ['kvm_nisv', 5, 2_000_000_000n, 2_000_040_000n, 'ffff80001073cd5c'],
      ['kvm_nisv', 1, 2_000_100_000n, 2_000_100_000n, 'ffff80001073cd60'],
    ]);
    const r = trace.faults[0]!.record;
    expect([r.esr, r.ipa, r.far, r.el, r.cpu, r.pid, r.comm]).toEqual([0x92000061n, 0x10001008n, 0xffff800012e01008n, 2, 0, 4250, 'CPU 0/KVM']);
    expect(r.source).toEqual({ file: 'trace', line: 1, endLine: 1 });
    expect(trace.faults[0]!.exampleLines).toEqual([1, 2, 3, 4, 5]);
  });

  it('kvm_guest_fault on two IPAs of one page group together; another page is another group', () => {
    const gf = (us: number, ipa: string): string => line('CPU 0/KVM', 4250, 4242, 0, us, 'kvm_guest_fault', `ipa ${ipa}, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c280`);
    const { trace } = assemble([gf(1, '0x9002000'), gf(2, '0x9002ff8'), gf(3, '0x9003000')].join('\n'));
    expect(trace.faults.map((g) => [g.record.kind, g.record.ipa?.toString(16), g.count])).toEqual([
      ['kvm_guest_fault', '9002000', 2],
      ['kvm_guest_fault', '9003000', 1],
    ]);
  });
});

describe('fault groups beyond 2^53 ns (a host up for more than 104 days, a nanosecond clock)', () => {
  it('keep their exact first and last times, though neighbouring times round to one double', () => {
    // Doubles are 2 ns apart there: 9100000.000001733 s and ...2003 have none of their own.
    const nisv = (t: string): string => `       CPU 0/KVM-4250    [000] d..1. ${t}: kvm_mmio_nisv: ipa 0x00000010001008, esr 0x00000092000061, far 0xffff800012e01008, pc 0xffff80001073cd5c`;
    const times = ['9100000.000001733', '9100000.000001734', '9100000.000002001', '9100000.000002002', '9100000.000002003'];
    expect([9_100_000_000_001_733n, 9_100_000_000_002_003n].map((t) => BigInt(Number(t)) === t)).toEqual([false, false]);
    const { trace } = assemble(times.map(nisv).join('\n'));
    expect(trace.faults.map((g) => [g.count, g.firstNs, g.lastNs, g.record.timeNs])).toEqual([[5, 9_100_000_000_001_733n, 9_100_000_000_002_003n, 9_100_000_000_001_733n]]);
  });
});

describe('FaultGrouper with exact times', () => {
  it('compares exact times exactly, though their doubles (rounded from different bases) run backwards', () => {
    // A trace.dat chunk's time is its base plus an offset, both doubles: F1 may come out as ...002 and
    // F1 + 1 ns, in the next chunk, as ...000.
    const F1 = 9_100_000_000_000_001n;
    const g = new FaultGrouper();
    const record = (): FaultRecord => ({ kind: 'kvm_nisv', esr: null, el: 2, far: null, ipa: null, pc: null, cpu: 0, pid: 1, comm: 'x', timeNs: F1, kernel: null, source: { file: 'f', line: 1, endLine: 1 }, text: '', extra: {} });
    g.add('k', 1, 9_100_000_000_000_002, 1, record, F1);
    expect(g.count('k', 1, 9_100_000_000_000_000, 2, F1 + 1n)).toBe(true);
    expect(g.count('k', 1, 9_100_000_000_000_000, 3, F1 - 1n)).toBe(true);
    expect(g.all.map((x) => [x.count, x.firstNs, x.lastNs])).toEqual([[3, F1 - 1n, F1 + 1n]]);
  });
});

describe('fault groups from text, against parsing every event', () => {
  // The assembler finds a repeated fault text's group without parsing it again: the groups must be those
  // that parsing every event gives, for repeated texts, texts of one group that differ (the far, the IPA
  // within its page), unparsable texts, both kinds, and more distinct texts than it remembers.
  it('are the same groups, counts, times, examples and threads', () => {
    const args = fc.oneof(
      fc.record({ ipa: fc.integer({ min: 0, max: 40 }), far: fc.integer({ min: 0, max: 2 }), pc: fc.integer({ min: 0, max: 2 }) }).map(
        (a) => ['kvm_guest_fault', `ipa 0x${(0x9000000 + a.ipa * 1000).toString(16)}, hsr 0x93c08006, hxfar 0xffff80000900${a.far}000, pc 0xffff80001073c${a.pc}80`] as const,
      ),
      fc.integer({ min: 0, max: 3 }).map((pc) => ['kvm_mmio_nisv', `ipa 0x10001008, esr 0x92000061, far 0xffff800012e01008, pc 0xffff80001073cd5${pc}`] as const),
      fc.constantFrom(['kvm_guest_fault', 'ipa nonsense'] as const, ['kvm_mmio_nisv', ''] as const),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(args, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 300 }), fc.boolean(), (events, many) => {
        const all: (readonly [string, string, number])[] = events.map(([[name, a], t]) => [name, a, t] as const);
        // Beyond the texts remembered: distinct pages, then the first texts again.
        if (many) for (let i = 0; i < 1100; i++) all.push(['kvm_guest_fault', `ipa 0x${(0x20000000 + i * 4096).toString(16)}, hsr 0x93c08006, hxfar 0x0, pc 0x1`, 0]);
        if (many) all.push(...all.slice(0, 20));
        const lines = all.map(([name, a, t], i) => line(`CPU ${t}/KVM`, 4250 + t, 4242, t, 1_000_000 + i, name, a));
        const { trace } = assemble(lines.join('\n'));
        const want = new Map<string, { count: number; first: number; last: number; lines: number[]; threads: Set<number> }>();
        all.forEach(([name, a, t], i) => {
          const f = parseKvmEvent(name, a);
          if (f === null || f === undefined) return;
          const key = groupKey(faultKindOf(name)!, f);
          const g = want.get(key) ?? want.set(key, { count: 0, first: Infinity, last: -Infinity, lines: [], threads: new Set() }).get(key)!;
          const ns = (1_000_000 + i) * 1000;
          g.count++;
          g.first = Math.min(g.first, ns);
          g.last = Math.max(g.last, ns);
          if (g.lines.length < 5) g.lines.push(i + 1);
          g.threads.add(4250 + t);
        });
        expect(trace.faults.map((g) => [g.count, g.firstNs, g.lastNs, g.exampleLines, [...g.threads]])).toEqual(
          [...want.values()].map((g) => [g.count, BigInt(g.first), BigInt(g.last), g.lines, [...g.threads]]),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('VMs and vCPUs', () => {
  it('threads keep their last comm and TGID, whatever PIDs interleave (PIDs 64 apart share a cache slot)', () => {
    const text = [
      line('a', 5, 100, 0, 1, 'sys_enter', 'x'),
      line('b', 69, null, 1, 2, 'sys_enter', 'x'),
      line('renamed', 69, 200, 1, 3, 'sys_enter', 'x'),
      line('a', 5, null, 0, 4, 'sys_enter', 'x'),
      line('b', 133, 300, 2, 5, 'sys_enter', 'x'),
      line('a', 69, null, 1, 6, 'sys_enter', 'x'),
      line('c', 5, null, 0, 7, 'sys_enter', 'x'),
      line('c', 5, null, 0, 8, 'sys_enter', 'x'),
    ].join('\n');
    const { trace, chunks } = assemble(text);
    expect(trace.threads.map((t) => [t.tid, t.comm, t.tgid])).toEqual([
      [5, 'c', 100],
      [69, 'a', 200],
      [133, 'b', 300],
    ]);
    expect(trace.comms).toEqual(['a', 'b', 'renamed', 'c']);
    const d = decodeColumns(chunks[0]!.columns, chunks[0]!.count, false);
    expect([...d.comm].map((c) => trace.comms[c])).toEqual(['a', 'b', 'renamed', 'a', 'b', 'a', 'c', 'c']);
    expect([...d.pid]).toEqual([5, 69, 69, 5, 133, 69, 5, 5]);
  });

  it('QEMU vCPU threads `CPU n/KVM` belong to their TGID; the VM is named after its main thread', () => {
    const text = [
      line('qemu-system-aar', 4242, 4242, 2, 1, 'sys_enter', 'NR 29 (...)'),
      line('CPU 0/KVM', 4250, 4242, 0, 2, 'kvm_entry', 'PC: 0x0000000000001000'),
      line('CPU 1/KVM', 4251, 4242, 1, 3, 'kvm_entry', 'PC: 0x0000000000001000'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.vms).toEqual([{ pid: 4242, name: 'qemu-system-aar', vcpus: [{ tid: 4250, index: 0 }, { tid: 4251, index: 1 }] }]);
    const vm = trace.tracks.find((t) => t.kind === 'vm');
    expect(vm?.label).toBe('qemu-system-aar (4242)');
    // the VM track counts its vCPUs' events and its main thread's
    expect(vm?.levels[0]?.counts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('function_graph\'s comms cut to 7 characters are still QEMU\'s (qemu-sy, CPU 0/K, CPU 12/)', () => {
    const graph = (t: string, cpu: number, task: string, ev: string): string => ` ${t} |  ${String(cpu).padStart(2)})  ${task}  |               |  /* ${ev} */`;
    const text = [
      graph('1000.000001', 2, 'qemu-sy-4242', 'sys_enter: NR 29 (...)'),
      graph('1000.000002', 0, 'CPU 0/K-4250', 'kvm_entry: PC: 0x0000000000001000'),
      graph('1000.000003', 1, 'CPU 12/-4262', 'kvm_entry: PC: 0x0000000000001000'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.vms).toEqual([{ pid: 4242, name: 'qemu-sy', vcpus: [{ tid: 4250, index: 0 }, { tid: 4262, index: 12 }] }]);
  });

  it("trace-cmd report -l's comms cut to 8 characters are still QEMU's (qemu-sys, CPU 0/KV, CPU 12/K, CPU 123/)", () => {
    // The latency layout: "%8.8s-%-5d", the CPU, its flags with no space (tracecmd/trace-read.c).
    const lat = (task: string, cpu: number, t: string, ev: string): string => `${task.padStart(14)} ${String(cpu).padStart(3)}d..1. ${t}: ${ev}`;
    const text = [
      lat('qemu-sys-4242', 2, '1000.000001', 'sys_enter: NR 29 (...)'),
      lat('CPU 0/KV-4250', 0, '1000.000002', 'kvm_entry: PC: 0x0000000000001000'),
      lat('CPU 12/K-4262', 1, '1000.000003', 'kvm_entry: PC: 0x0000000000001000'),
      lat('CPU 123/-4365', 1, '1000.000004', 'kvm_entry: PC: 0x0000000000001000'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.vms).toEqual([{ pid: 4242, name: 'qemu-sys', vcpus: [{ tid: 4250, index: 0 }, { tid: 4262, index: 12 }, { tid: 4365, index: 123 }] }]);
  });

  it('without TGIDs, a vCPU thread joins the closest VMM main thread below its tid', () => {
    const text = [
      line('qemu-system-aar', 3000, null, 0, 1, 'sys_enter', 'x'),
      line('qemu-system-aar', 5000, null, 0, 2, 'sys_enter', 'x'),
      line('CPU 0/KVM', 5010, null, 1, 3, 'kvm_entry', 'PC: 0x1'),
      line('CPU 0/KVM', 3005, null, 1, 4, 'kvm_entry', 'PC: 0x1'),
    ].join('\n');
    const { trace } = assemble(text);
    expect(trace.vms.map((v) => [v.pid, v.vcpus.map((c) => c.tid)])).toEqual([
      [3000, [3005]],
      [5000, [5010]],
    ]);
  });
});

describe('order and storage chunks', () => {
  it('counts events earlier than their predecessor', () => {
    const text = [line('a', 1, null, 0, 10, 'e', 'x'), line('a', 1, null, 1, 5, 'e', 'x'), line('a', 1, null, 0, 20, 'e', 'x')].join('\n');
    const { trace } = assemble(text);
    expect(trace.outOfOrder).toEqual({ count: 1, examples: [{ line: 2, tsNs: 5_000, previousNs: 10_000 }] });
  });

  it('packs events into chunks of CHUNK_EVENTS that decode back to the same values', () => {
    const n = CHUNK_EVENTS + 3;
    const text = Array.from({ length: n }, (_, i) => line(`t${i % 3}`, 100 + (i % 3), null, i % 4, 1_000_000 + i, i % 2 ? 'odd' : 'even', `i=${i}`)).join('\n');
    const { trace, chunks } = assemble(text);
    expect(chunks.map((c) => c.count)).toEqual([CHUNK_EVENTS, 3]);
    const last = chunks[1]!;
    const d = decodeColumns(last.columns, last.count, false);
    const i0 = CHUNK_EVENTS;
    expect(Number(last.baseTs) + d.ts[0]!).toBe((1_000_000 + i0) * 1000);
    expect([d.cpu[0], d.pid[0], d.line[0]]).toEqual([i0 % 4, 100 + (i0 % 3), i0 + 1]);
    expect(trace.comms[d.comm[0]!]).toBe(`t${i0 % 3}`);
    expect(trace.names[d.name[1]!]).toBe('odd');
    expect(rereadArgs(last.args as string)).toEqual([`i=${i0}`, `i=${i0 + 1}`, `i=${i0 + 2}`]);
  });
});
