// ftrace text and trace.dat through the ingest pipeline: the importers are chosen by content, every event
// is stored, identical KVM faults become one record with a count, and the dropped-event markers become
// diagnostics. Expected values come from the real captures (../shared/samples, INDEX.md / SOURCE.md there),
// trace-cmd's report text, and inputs written by the test.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { listEvents, listExitStats } from '../../../main/storage/events';
import { timelineBuckets, traceSpan } from '../../../main/storage/timeline';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { ftraceTextImporter, sniffFtraceText } from '../../../main/services/ingest/importers/ftrace-text';
import type { Importer } from '../../../main/services/ingest/importer';
import { formatTracefsLine, synthesizeKvmTrace, tracefsHeader } from '../../../main/core/ingest/ftrace/synthetic';
import { sniffTraceDat } from '../../../main/services/ingest/importers/trace-dat';
import { readTraceDat } from '../../../main/core/ingest/tracedat/file';
import { decompress } from '../../../main/services/ingest/importers/trace-dat-codecs';
import { writeTraceDatV6, type WriterEvent } from '../../../main/core/ingest/tracedat/writer';
import { arm64KvmFormats, KVM_FORMAT_IDS as ID } from '../../../main/core/ingest/tracedat/arm64-kvm-formats';
import { tempDir } from '../../helpers/tmp';

const SHARED = join(__dirname, '../../../../shared/samples');
const LOG_039 = join(SHARED, 'logs/039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log');

describe('sniffing', () => {
  it('claims tracefs and trace-cmd text and trace.dat; leaves a kernel log alone', () => {
    expect(sniffFtraceText(readFileSync(join(SHARED, 'logs/042-ftrace-raw-tracer-nop-header-qemuarm64-percpu.log')), 'trace')).toBeGreaterThanOrEqual(0.9);
    expect(sniffFtraceText(readFileSync(join(SHARED, 'logs/043-trace-cmd-report-v6-header-function-graph.log')), 'x.txt')).toBeGreaterThanOrEqual(0.9);
    expect(sniffFtraceText(readFileSync(LOG_039), 'mail.txt')).toBeGreaterThanOrEqual(0.5);
    expect(sniffFtraceText(readFileSync(join(SHARED, 'logs/010-kvm-vgic-mmio-guest-abort-null-deref-64k.log')), 'dmesg')).toBe(0);
    expect(sniffTraceDat(readFileSync(join(SHARED, 'tracedat/x86_64-syscalls-v6.trace.dat')).subarray(0, 64))).toBe(1);
  });

  it('claims a short trace_pipe capture between two shell prompts', () => {
    const capture = [
      'root@kvmhost01:~# cat /sys/kernel/tracing/trace_pipe',
      '       CPU 0/KVM-4250    [001] ...1.  3000.000102: kvm_guest_fault: ipa 0x9002000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c280',
      '^C',
      'root@kvmhost01:~# ',
    ].join('\r\n');
    expect(sniffFtraceText(Buffer.from(capture), 'console.txt')).toBeGreaterThanOrEqual(0.5);
    // Prose around one event line is still not a trace.
    expect(sniffFtraceText(Buffer.from(`I ran the guest again and got this:\n${capture.split('\r\n')[1]}\nand then the guest hung.\nAny idea?\n`), 'mail.txt')).toBe(0);
  });
});

describe('sniffing a paste of wrapped events', () => {
  // `trace-cmd report` (3.1.6) of three arm64 KVM events, no header, broken by a mailer at 72 columns after
  // the last space (kept at the line's end, as format=flowed keeps it, or dropped): the two events of about
  // 150 columns take three lines each, so only 3 of the 8 lines are event lines.
  const REPORT = [
    '       CPU 0/KVM-4250  [000]  1000.000000: kvm_exit:             <CANT FIND FIELD exit_reason>SERROR: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073c000',
    '       CPU 1/KVM-4251  [001]  1000.000003: kvm_mmio:             mmio read len 4 gpa 0x9000000 val 0x1',
    '       CPU 0/KVM-4250  [000]  1000.000006: kvm_guest_fault:      ipa 0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc 0xffff80001073c008',
  ];
  const KEPT = [
    '       CPU 0/KVM-4250  [000]  1000.000000: kvm_exit:             <CANT ',
    'FIND FIELD exit_reason>SERROR: HSR_EC: 0x0024 (DABT_LOW), PC: ',
    '0xffff80001073c000',
    '       CPU 1/KVM-4251  [001]  1000.000003: kvm_mmio:             mmio ',
    'read len 4 gpa 0x9000000 val 0x1',
    '       CPU 0/KVM-4250  [000]  1000.000006: kvm_guest_fault:      ipa ',
    '0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc ',
    '0xffff80001073c008',
  ];
  const DROPPED = KEPT.map((l) => l.trimEnd());

  async function stored(text: string): Promise<unknown[]> {
    const dir = tempDir();
    writeFileSync(join(dir, 'paste.txt'), text);
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [join(dir, 'paste.txt')]);
    const out = s.files.map((f) => [f.format, f.events]);
    const events = listEvents(db, { bundleId: s.bundleId! }).map((e) => [e.timeNs, e.cpu, e.pid, e.event, e.fields]);
    db.close();
    return [out, events];
  }

  it('claims it, and reads the events the unwrapped report holds', async () => {
    const whole = await stored(REPORT.join('\n') + '\n');
    expect(whole[0]).toEqual([['ftrace-text', 3]]);
    for (const lines of [KEPT, DROPPED]) {
      expect(lines.every((l) => l.length <= 72)).toBe(true);
      expect(sniffFtraceText(Buffer.from(lines.join('\n') + '\n'), 'paste.txt')).toBeGreaterThanOrEqual(0.5);
      expect(await stored(lines.join('\n') + '\n')).toEqual(whole);
    }
  });

  it('still leaves alone prose with one wrapped event in it', () => {
    const prose = `I ran the guest again and got this:\n${KEPT.slice(0, 3).join('\n')}\nand then the guest hung.\nAny idea?\n`;
    expect(sniffFtraceText(Buffer.from(prose), 'mail.txt')).toBe(0);
  });
});

describe('ftrace text', () => {
  it('039: 21 events, the kvm_exit loop paired, the wrapped lines noted', async () => {
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [LOG_039]);
    expect(s.files.map((f) => [f.format, f.events])).toEqual([['ftrace-text', 21]]);
    expect(s.diagnostics.map((d) => d.kind)).toEqual(expect.arrayContaining(['line-wrapped', 'ftrace-line-unparsed']));
    expect(listExitStats(db, s.bundleId!).map((x) => [x.tid, x.ecName, x.count])).toEqual([[88776, 'SYS64', 10]]);
    expect(allFaults(db, s.bundleId!)).toEqual([]);
    db.close();
  });

  it('300,000 identical MMIO faults without a valid syndrome are one record with a count and a time range', async () => {
    const dir = tempDir();
    const lines = ['# tracer: nop', '#'];
    const n = 300_000;
    for (let i = 0; i < n; i++) {
      const us = 2_000_000_000 + i * 3;
      const t = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
      lines.push(`       CPU 0/KVM-4250    (   4242) [000] d..1. ${t}: kvm_mmio_nisv: ipa 0x00000010001008, esr 0x00000092000061, far 0xffff800012e01008, pc 0xffff80001073cd5c`);
    }
    lines.push(`       CPU 1/KVM-4251    (   4242) [001] d..1. 3000.000000: kvm_guest_fault: ipa 0x9002000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c280`);
    writeFileSync(join(dir, 'trace'), lines.join('\n') + '\n');
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [join(dir, 'trace')]);
    expect(s.events).toBe(n + 1);
    const faults = allFaults(db, s.bundleId!);
    expect(faults.map((f) => [f.kind, f.count, f.esr, f.ipa, f.pc, f.firstNs, f.lastNs])).toEqual([
      ['kvm_nisv', n, '0x92000061', '0x10001008', '0xffff80001073cd5c', 2_000_000_000_000n, BigInt((2_000_000_000 + (n - 1) * 3) * 1000)],
      ['kvm_guest_fault', 1, '0x93c08006', '0x9002000', '0xffff80001073c280', 3_000_000_000_000n, 3_000_000_000_000n],
    ]);
    expect(JSON.parse(faults[0]!.extraJson)).toMatchObject({ vm: 4242, threads: '4250', examples: 'line 3, line 4, line 5, line 6, line 7' });
    // the VM and its vCPUs reach the bundle context
    const ctx = JSON.parse(db.prepare(`SELECT context_json FROM bundles WHERE id = ?`).pluck().get(s.bundleId!) as string) as { vms: unknown[] };
    expect(ctx.vms).toEqual([{ pid: 4242, name: null, vcpus: [{ tid: 4250, index: 0 }, { tid: 4251, index: 1 }] }]);
    db.close();
  });

  it('a tracing folder\'s per-CPU views beside its trace are not counted twice, in a folder or a tar', async () => {
    const events = [...synthesizeKvmTrace(3000, 7)];
    const dir = tempDir();
    const tracing = join(dir, 'bundle', 'sys', 'kernel', 'tracing');
    const cpus = [...new Set(events.map((e) => e.cpu))].sort((a, b) => a - b);
    for (const cpu of cpus) {
      const own = events.filter((e) => e.cpu === cpu);
      mkdirSync(join(tracing, 'per_cpu', `cpu${cpu}`), { recursive: true });
      writeFileSync(join(tracing, 'per_cpu', `cpu${cpu}`, 'trace'), tracefsHeader(own.length, cpus.length) + '\n' + own.map(formatTracefsLine).join('\n') + '\n');
    }
    const views = join(dir, 'views-only');
    cpSync(join(dir, 'bundle'), views, { recursive: true });
    writeFileSync(join(tracing, 'trace'), tracefsHeader(events.length, cpus.length) + '\n' + events.map(formatTracefsLine).join('\n') + '\n');
    execFileSync('tar', ['-cf', join(dir, 'bundle.tar'), '-C', join(dir, 'bundle'), '.']);
    const ingest = async (path: string) => {
      const db = openDatabase(join(tempDir(), 'x.db'));
      const s = await ingestBundle(db, [path]);
      const faults = allFaults(db, s.bundleId!).map((f) => [f.kind, f.esr, f.count, f.file.replace(/^\.\//, '')]);
      const stored = db.prepare(`SELECT coalesce(sum(count), 0) FROM trace_chunks`).pluck().get();
      db.close();
      return { s, faults, stored };
    };
    const whole = await ingest(join(tracing, 'trace'));
    expect(whole.s.events).toBe(events.length);
    expect(whole.faults.length).toBeGreaterThan(0);
    for (const path of [join(dir, 'bundle'), join(dir, 'bundle.tar')]) {
      const r = await ingest(path);
      expect(r.s.events, path).toBe(events.length);
      expect(r.stored).toBe(events.length);
      expect(r.faults).toEqual(whole.faults.map(([kind, esr, count]) => [kind, esr, count, 'sys/kernel/tracing/trace']));
      expect(r.s.diagnostics.find((d) => d.kind === 'ftrace-per-cpu-copy')?.count).toBe(cpus.length);
    }
    // Without the folder's trace, the views are the trace.
    const alone = await ingest(views);
    expect(alone.s.events).toBe(events.length);
    expect(alone.faults.reduce((n, f) => n + (f[2] as number), 0)).toBe(whole.faults.reduce((n, f) => n + (f[2] as number), 0));
  });
});

describe('trace.dat', () => {
  it('the v6 and v7 samples: 20,000 events each, the first as trace-cmd reports it, the dropped events noted', async () => {
    const ref = gunzipSync(readFileSync(join(SHARED, 'tracedat/x86_64-syscalls.report.txt.gz'))).toString('utf8').split('\n');
    for (const name of ['x86_64-syscalls-v6.trace.dat', 'x86_64-syscalls-v7-zstd.trace.dat']) {
      const db = openDatabase(join(tempDir(), 'x.db'));
      const s = await ingestBundle(db, [join(SHARED, 'tracedat', name)]);
      expect(s.files.map((f) => [f.format, f.events])).toEqual([['trace-dat', 20_000]]);
      expect(s.diagnostics.find((d) => d.kind === 'ftrace-events-dropped')?.example).toMatch(/CPU 0: 1056508 events dropped/);
      // ref line 3: "            find-11092 [000]   449.993136: sys_enter:            NR 3 (4, 200, 557e6fa200f8, ...)"
      const [first] = listEvents(db, { bundleId: s.bundleId!, limit: 1 });
      expect(ref[2]).toContain(`${first!.comm}-${first!.pid} [000]   449.993136: sys_enter:            ${first!.args}`);
      expect(first!.timeNs / 1000n).toBe(449_993_135n); // 449.993135638 s, printed rounded to 449.993136
      const kvmless = listEvents(db, { bundleId: s.bundleId!, event: 'sched_switch', limit: 1 });
      expect(kvmless[0]!.args).toBe('find:11092 [120] R ==> node:11075 [120]');
      db.close();
    }
  });

  it('an arm64 KVM trace.dat: fault groups from the records, exits paired, the timeline filled', async () => {
    const dir = tempDir();
    const events = [];
    for (let i = 0; i < 1000; i++) {
      const t = 1_000_000_000_000n + BigInt(i) * 10_000n;
      events.push({ cpu: 0, tsNs: t, id: ID.kvm_exit, pid: 4250, values: { ret: 2, esr_ec: 0x24, vcpu_pc: 0xffff80001073cd5cn } });
      events.push({ cpu: 0, tsNs: t + 1000n, id: ID.kvm_mmio_nisv, pid: 4250, values: { vcpu_pc: 0xffff80001073cd5cn, esr: 0x92000061, far: 0xffff800012e01008n, ipa: 0x10001008 } });
      events.push({ cpu: 0, tsNs: t + 4000n, id: ID.kvm_entry, pid: 4250, values: { vcpu_pc: 0xffff80001073cd5cn } });
    }
    const file = join(dir, 'trace.dat');
    writeFileSync(file, writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map([[4250, 'CPU 0/KVM']]) }, events));
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [file]);
    expect(s.events).toBe(3000);
    const f = allFaults(db, s.bundleId!);
    expect(f.map((x) => [x.kind, x.count, x.esr, x.ipa, x.far, x.pc])).toEqual([['kvm_nisv', 1000, '0x92000061', '0x10001008', '0xffff800012e01008', '0xffff80001073cd5c']]);
    expect(f[0]!.text).toBe('CPU 0/KVM-4250 [000] 1000.000001: kvm_mmio_nisv: ipa 0x00000010001008, esr 0x00000092000061, far 0xffff800012e01008, pc 0xffff80001073cd5c');
    expect(listExitStats(db, s.bundleId!).map((x) => [x.ecName, x.count, x.totalNs, x.maxNs])).toEqual([['DABT_LOW', 1000, 4_000_000, 4000]]);
    const [ev] = listEvents(db, { bundleId: s.bundleId!, event: 'kvm_exit', limit: 1 });
    expect(ev!.fields).toEqual({ ret: 'TRAP', esr_ec: 0x24, esr_ec_name: 'DABT_LOW', vcpu_pc: '0xffff80001073cd5c' });
    const span = traceSpan(db, s.bundleId!)!;
    const tl = timelineBuckets(db, s.bundleId!, { fromNs: span.fromNs, toNs: span.toNs, buckets: 10 });
    expect(tl.tracks.find((t) => t.kind === 'fault' && t.key === 'kvm_nisv')!.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    // host time: 4 µs per exit, all of it in the vCPU's track
    expect(tl.tracks.find((t) => t.kind === 'vcpu')!.hostNs!.reduce((a, b) => a + b, 0)).toBe(4_000_000);
    db.close();
  });

  it('a trace.dat cut inside its event data: the events before the cut, and a diagnostic naming the CPUs that lose events', async () => {
    const events = [];
    for (let i = 0; i < 8000; i++) events.push({ cpu: i % 2, tsNs: 1_000_000_000_000n + BigInt(i) * 1000n, id: ID.kvm_entry, pid: 4250 + (i % 2), values: { vcpu_pc: 0xffff80001073cd5cn } });
    const whole = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map() }, events);
    const file = join(tempDir(), 'trace.dat');
    // The CPU data lie one after the other: cut in the middle of the second CPU's.
    writeFileSync(file, whole.subarray(0, whole.length - 40_000));
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [file]);
    expect(s.events).toBeGreaterThan(4000);
    expect(s.events).toBeLessThan(8000);
    const d = s.diagnostics.find((x) => x.kind === 'tracedat-corrupt');
    expect(d?.example).toMatch(/ends inside the event data of CPU 1 \(\d+ of \d+ bytes\)/);
    db.close();
  });

  it('a corrupt trace.dat is a diagnostic, not a failure of the bundle', async () => {
    const dir = tempDir();
    const bytes = readFileSync(join(SHARED, 'tracedat/x86_64-syscalls-v6.trace.dat')).subarray(0, 3000);
    writeFileSync(join(dir, 'trace.dat'), bytes);
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [join(dir, 'trace.dat')]);
    expect(s.bundleId).not.toBeNull();
    expect(s.diagnostics.map((d) => d.kind)).toContain('tracedat-unreadable');
    // The message says what happened: the copy stops inside the metadata it needs, not a raw range error.
    expect(s.diagnostics.find((d) => d.kind === 'tracedat-unreadable')?.example).toMatch(/cut short .*it ends at 3000 bytes, inside the \d+ bytes at offset \d+/);
    db.close();
  });

  it('a trace.dat beyond 2^53 ns: the time in the host of each exit is exact', async () => {
    // The first exit ends the first storage chunk (4096 events), its entry opens the next: each chunk's
    // base as a double is rounded its own way (2^53 + 1 to 2^53, 2^53 + 8 exactly).
    const at = 2n ** 53n + 1n;
    const pc = 0xffff800010001000n;
    const filler: WriterEvent[] = Array.from({ length: 4095 }, () => ({ cpu: 0, tsNs: at, id: ID.kvm_entry, pid: 99, values: { vcpu_pc: pc } }));
    const pairs = [0n, 7n, 9n, 2009n].map((d, i): WriterEvent => ({ cpu: 0, tsNs: at + d, id: i % 2 === 0 ? ID.kvm_exit : ID.kvm_entry, pid: 4250, values: i % 2 === 0 ? { ret: 2, esr_ec: 0x24, vcpu_pc: pc } : { vcpu_pc: pc } }));
    const events = [...filler, ...pairs];
    const dir = tempDir();
    writeFileSync(join(dir, 'trace.dat'), writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map([[4250, 'CPU 0/KVM']]) }, events));
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [join(dir, 'trace.dat')]);
    expect(listExitStats(db, s.bundleId!).map((x) => [x.tid, x.ret, x.esrEc, x.count, x.totalNs, x.minNs, x.maxNs])).toEqual([[4250, 'TRAP', 0x24, 2, 2007, 7, 2000]]);
    db.close();
  });

  it('a trace.dat recorded on a clock that does not count ns keeps its counts, on the counter clock', async () => {
    const pc = 0xffff800010001000n;
    const events: WriterEvent[] = [
      { cpu: 0, tsNs: 1_234_567_890_123n, id: ID.kvm_exit, pid: 4250, values: { ret: 2, esr_ec: 0x24, vcpu_pc: pc } },
      { cpu: 0, tsNs: 1_234_567_890_150n, id: ID.kvm_guest_fault, pid: 4250, values: { ipa: 0x9000000n, hsr: 0x93c08006n, hxfar: 0xffff800010000000n, vcpu_pc: pc } },
      { cpu: 0, tsNs: 1_234_567_890_223n, id: ID.kvm_entry, pid: 4250, values: { vcpu_pc: pc } },
    ];
    // The TRACECLOCK option (id 4): the trace_clock file, the selected clock in brackets.
    const clock = (name: string) => ({ id: 4, data: new TextEncoder().encode(`local global [${name}] uptime perf mono\n\0`) });
    // TSC2NSEC (id 14): u32 mult, u32 shift, u64 offset; with it trace-cmd gives ns.
    const tsc2nsec = { id: 14, data: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) };
    const ingestWith = async (options: { id: number; data: Uint8Array }[]) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'trace.dat'), writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map([[4250, 'CPU 0/KVM']]), options }, events));
      const db = openDatabase(join(tempDir(), 'x.db'));
      const s = await ingestBundle(db, [join(dir, 'trace.dat')]);
      const fileClock = db.prepare(`SELECT clock FROM files WHERE format = 'trace-dat'`).pluck().get();
      const faults = allFaults(db, s.bundleId!).map((f) => [f.clock, f.timeNs, f.text.includes(' 1234567890150: kvm_guest_fault:')]);
      db.close();
      return { fileClock, faults, counterDiag: s.diagnostics.some((d) => d.kind === 'ftrace-counter-clock') };
    };
    expect(await ingestWith([clock('counter')])).toEqual({ fileClock: 'counter', faults: [['counter', 1_234_567_890_150n, true]], counterDiag: true });
    expect(await ingestWith([clock('x86-tsc')])).toMatchObject({ fileClock: 'counter', counterDiag: true });
    // Converted to ns by the file, or recorded on a ns clock: since boot.
    expect(await ingestWith([clock('x86-tsc'), tsc2nsec])).toMatchObject({ fileClock: 'monotonic', counterDiag: false });
    expect(await ingestWith([clock('mono')])).toMatchObject({ fileClock: 'monotonic', counterDiag: false });
  });

  it('a trace.dat cut inside its header or before a v7 section says it was cut short', () => {
    const v6 = readFileSync(join(SHARED, 'tracedat/x86_64-syscalls-v6.trace.dat'));
    const v7 = readFileSync(join(SHARED, 'tracedat/x86_64-syscalls-v7-zstd.trace.dat'));
    const open = (b: Buffer): string => {
      const r = readTraceDat({ size: b.length, read: (o, n) => b.subarray(o, Math.min(o + n, b.length)) }, decompress);
      return r.ok ? 'ok' : r.error;
    };
    expect(open(v6.subarray(0, 12))).toMatch(/^trace\.dat cut short .*it ends at 12 bytes, inside its header/);
    expect(open(v7.subarray(0, 50_000))).toMatch(/^trace\.dat cut short .*past its end at 50000 bytes/);
  });
});

describe('an ftrace importer that stops on an unexpected error', () => {
  it('leaves no events behind that cannot be read, and says so', async () => {
    const dir = tempDir('ftrace-fails');
    const events = [...synthesizeKvmTrace(120_000)].map(formatTracefsLine);
    writeFileSync(join(dir, 'trace'), tracefsHeader(events.length, 8) + '\n' + events.join('\n') + '\n');
    // The real importer, made to fail once it has stored some chunks of events.
    const failing: Importer = {
      ...ftraceTextImporter,
      import: (ctx, input) =>
        ftraceTextImporter.import(
          {
            ...ctx,
            progress: (bytes, lines) => {
              if (lines > 60_000) throw new Error('simulated failure');
              ctx.progress(bytes, lines);
            },
          },
          input,
        ),
    };
    const db = openDatabase(join(tempDir(), 'fail.db'));
    const s = await ingestBundle(db, [join(dir, 'trace')], { importers: [failing] });
    expect(s.files.map((f) => [f.path, f.events])).toEqual([['trace', 0]]);
    const d = s.diagnostics.find((x) => x.kind === 'importer-failed');
    expect(d?.example).toMatch(/^trace ftrace-text: simulated failure; the \d+ events stored before it were removed/);
    expect(Number(/the (\d+) events/.exec(d!.example)![1])).toBeGreaterThan(4096);
    expect(listEvents(db, { bundleId: s.bundleId!, limit: 5 })).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM trace_chunks`).pluck().get()).toBe(0);
    db.close();
  });
});
