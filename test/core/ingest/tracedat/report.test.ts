// The trace.dat reader against Debian's `trace-cmd report` (3.1.6): every line of the reference text of the
// samples in ../shared/samples/tracedat (SOURCE.md there: the v6 and v7 files hold the same 20,000 events,
// x86_64-syscalls.report.txt.gz is `trace-cmd report -i` of either), and, where trace-cmd is installed, the
// lanhaocoder recording and traces written by the test in every byte order and long size.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/tmp';
import { TraceDatReader } from '../../../../main/core/ingest/tracedat/reader';
import { renderReport } from '../../../../main/core/ingest/tracedat/report';
import { writeTraceDatV6, type WriterEvent } from '../../../../main/core/ingest/tracedat/writer';
import { arm64KvmFormats, KVM_FORMAT_IDS as ID } from '../../../../main/core/ingest/tracedat/arm64-kvm-formats';
import { decompress } from '../../../../main/services/ingest/importers/trace-dat-codecs';

const SAMPLES = join(__dirname, '../../../../../shared/samples/tracedat');
const TRACE_CMD = ['/usr/bin/trace-cmd', '/usr/local/bin/trace-cmd'].find((p) => existsSync(p)) ?? null;

function source(bytes: Uint8Array) {
  return { size: bytes.length, read: (o: number, n: number) => bytes.subarray(o, Math.min(o + n, bytes.length)) };
}

function report(bytes: Uint8Array): string[] {
  const r = TraceDatReader.open(source(bytes), decompress);
  if (!r.ok) throw new Error(r.error);
  const out: string[] = [];
  // An event's text may span lines (kernel_stack): compare physical lines, as trace-cmd prints them.
  renderReport(r.value, (l) => out.push(...l.split('\n')));
  return out;
}

/** Line-for-line equality; the first difference is the failure message. */
function expectSameLines(actual: readonly string[], expected: readonly string[]): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      expect.fail(`line ${i + 1} differs\n  trace-cmd: ${JSON.stringify(expected[i])}\n  faultline: ${JSON.stringify(actual[i])}`);
    }
  }
  expect(actual.length).toBe(expected.length);
}

const reference = (): string[] => gunzipSync(readFileSync(join(SAMPLES, 'x86_64-syscalls.report.txt.gz'))).toString('utf8').replace(/\n$/, '').split('\n');

describe('trace.dat report: the samples against trace-cmd report', () => {
  it('v6, uncompressed: all 20,002 lines, dropped-events marker included', () => {
    const ref = reference();
    expect(ref.length).toBe(20_002);
    expectSameLines(report(readFileSync(join(SAMPLES, 'x86_64-syscalls-v6.trace.dat'))), ref);
  });

  it('v7, zstd sections and zstd-compressed CPU data: the same 20,002 lines', () => {
    expectSameLines(report(readFileSync(join(SAMPLES, 'x86_64-syscalls-v7-zstd.trace.dat'))), reference());
  });

  it.skipIf(TRACE_CMD === null)('v7 recording with kernel stacks (perf clock, 4 CPUs) against the installed trace-cmd', () => {
    const file = join(SAMPLES, 'lanhaocoder-LanGraph-x86_64-v7-zstd.trace.dat');
    const ref = execFileSync(TRACE_CMD!, ['report', '-i', file], { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').replace(/\n$/, '').split('\n');
    expect(ref.length).toBeGreaterThan(300_000);
    expectSameLines(report(readFileSync(file)), ref);
  });
});

// A small arm64 KVM host trace: two vCPU threads, the events kvm_handle_guest_abort and the run loop emit.
const KVM_EVENTS: WriterEvent[] = [
  { cpu: 0, tsNs: 1_000_000_001_000n, id: ID.kvm_entry, pid: 4250, values: { vcpu_pc: 0xffff80001073cd5cn } },
  { cpu: 0, tsNs: 1_000_000_002_500n, id: ID.kvm_exit, pid: 4250, values: { ret: 2, esr_ec: 0x24, vcpu_pc: 0xffff80001073cd5cn } },
  { cpu: 0, tsNs: 1_000_000_003_000n, id: ID.kvm_guest_fault, pid: 4250, values: { vcpu_pc: 0xffff80001073cd5cn, hsr: 0x92000061, hxfar: 0xffff800012e01001n, ipa: 0x10001000 } },
  { cpu: 1, tsNs: 1_000_000_002_000n, id: ID.kvm_exit, pid: 4251, values: { ret: 0, esr_ec: 0, vcpu_pc: 0x80528a6c } },
  { cpu: 1, tsNs: 1_000_000_009_000n, id: ID.kvm_mmio, pid: 4251, values: { type: 2, len: 4, gpa: 0x9000000, val: 0x41 } },
  { cpu: 1, tsNs: 1_005_000_000_000n, id: ID.kvm_mmio_nisv, pid: 4251, values: { vcpu_pc: 0x80528a6c, esr: 0x92000061, far: 0x12e01001, ipa: 0x10001000 } },
  { cpu: 1, tsNs: 1_005_000_000_100n, id: ID.kvm_hvc_arm64, pid: 4251, values: { vcpu_pc: 0x80528a6c, r0: 0x84000003, imm: 0 } },
];

function kvmTrace(bigEndian: boolean, longSize: 4 | 8): Uint8Array {
  return writeTraceDatV6(
    { systems: { kvm: arm64KvmFormats() }, cpus: 2, bigEndian, longSize, cmdlines: new Map([[4250, 'CPU 0/KVM'], [4251, 'CPU 1/KVM']]) },
    KVM_EVENTS,
  );
}

describe('trace.dat report: arm64 KVM events', () => {
  // Expected texts: the kernel's TP_printk formats (arch/arm64/kvm/trace_arm.h, trace_handle_exit.h,
  // include/trace/events/kvm.h) applied by hand to the values above; layout as trace-cmd report's.
  const expected = [
    'cpus=2',
    '       CPU 0/KVM-4250  [000]  1000.000001: kvm_entry:            PC: 0xffff80001073cd5c',
    '       CPU 1/KVM-4251  [001]  1000.000002: kvm_exit:             IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0000000080528a6c',
    '       CPU 0/KVM-4250  [000]  1000.000003: kvm_exit:             TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073cd5c',
    '       CPU 0/KVM-4250  [000]  1000.000003: kvm_guest_fault:      ipa 0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc 0xffff80001073cd5c',
    '       CPU 1/KVM-4251  [001]  1000.000009: kvm_mmio:             mmio write len 4 gpa 0x9000000 val 0x41',
    '       CPU 1/KVM-4251  [001]  1005.000000: kvm_mmio_nisv:        ipa 0x00000010001000, esr 0x00000092000061, far 0x00000012e01001, pc 0x00000080528a6c',
    '       CPU 1/KVM-4251  [001]  1005.000000: kvm_hvc_arm64:        HVC at 0x0000000080528a6c (r0: 0x0000000084000003, imm: 0x0)',
  ];

  for (const [bigEndian, longSize] of [[false, 8], [true, 8], [false, 4], [true, 4]] as const) {
    it(`${bigEndian ? 'big' : 'little'}-endian, ${longSize * 8}-bit long: the kernel's text for every event`, () => {
      expectSameLines(report(kvmTrace(bigEndian, longSize)), expected);
    });
  }

  // trace-cmd applies libtraceevent's x86 kvm plugin to kvm_exit/kvm_entry ("<CANT FIND FIELD exit_reason>")
  // unless plugins are off (-N): the comparison is with -N.
  it.skipIf(TRACE_CMD === null)('matches `trace-cmd report -N` on the same files', () => {
    const dir = tempDir('faultline-tracedat-');
    for (const [bigEndian, longSize] of [[false, 8], [true, 8], [false, 4]] as const) {
      const file = join(dir, `kvm-${bigEndian}-${longSize}.dat`);
      const bytes = kvmTrace(bigEndian, longSize);
      writeFileSync(file, bytes);
      const ref = execFileSync(TRACE_CMD!, ['report', '-N', '-i', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').replace(/\n$/, '').split('\n');
      expectSameLines(report(bytes), ref);
    }
  });
});

// `trace-cmd record -B kvm -e kvm` records into an instance: the top buffer may hold nothing of interest.
// The KVM trace above, with some events moved to two instances ("kvm", "o"); one of the instance's events
// shares its timestamp with one of the top buffer's.
describe('trace.dat report: instances (trace-cmd record -B)', () => {
  const INSTANCE_EVENTS: WriterEvent[] = KVM_EVENTS.map((e, i) => (i === 1 || i === 2 || i === 5 ? { ...e, instance: 'kvm' } : i === 3 ? { ...e, instance: 'o' } : e));
  // The tie at 1000.000002500 ns (printed rounded to 1000.000003): kvm_exit (instance kvm, CPU 0) and a
  // kvm_mmio added to the top buffer (CPU 1): the top buffer's comes first, though its CPU is higher.
  const events = [...INSTANCE_EVENTS, { cpu: 1, tsNs: 1_000_000_002_500n, id: ID.kvm_mmio, pid: 4251, values: { type: 1, len: 8, gpa: 0x9000008, val: 0 } }];
  const bytes = (): Uint8Array =>
    writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map([[4250, 'CPU 0/KVM'], [4251, 'CPU 1/KVM']]), instances: ['kvm', 'o'] }, events);

  it('merges every buffer in time order, the top buffer first on a tie, each line prefixed by its instance', () => {
    // trace-read.c print_handle_file: the name right-aligned to the longest one and ": ", blanks for the top.
    expectSameLines(report(bytes()), [
      'cpus=2',
      '            CPU 0/KVM-4250  [000]  1000.000001: kvm_entry:            PC: 0xffff80001073cd5c',
      '  o:        CPU 1/KVM-4251  [001]  1000.000002: kvm_exit:             IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0000000080528a6c',
      '            CPU 1/KVM-4251  [001]  1000.000003: kvm_mmio:             mmio read len 8 gpa 0x9000008 val 0x0',
      'kvm:        CPU 0/KVM-4250  [000]  1000.000003: kvm_exit:             TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073cd5c',
      'kvm:        CPU 0/KVM-4250  [000]  1000.000003: kvm_guest_fault:      ipa 0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc 0xffff80001073cd5c',
      '            CPU 1/KVM-4251  [001]  1000.000009: kvm_mmio:             mmio write len 4 gpa 0x9000000 val 0x41',
      'kvm:        CPU 1/KVM-4251  [001]  1005.000000: kvm_mmio_nisv:        ipa 0x00000010001000, esr 0x00000092000061, far 0x00000012e01001, pc 0x00000080528a6c',
      '            CPU 1/KVM-4251  [001]  1005.000000: kvm_hvc_arm64:        HVC at 0x0000000080528a6c (r0: 0x0000000084000003, imm: 0x0)',
    ]);
  });

  it.skipIf(TRACE_CMD === null)('matches `trace-cmd report -N`, in v6 and in the v7 (zstd) trace-cmd converts it to', () => {
    const dir = tempDir('faultline-tracedat-');
    const v6 = join(dir, 'instances-v6.dat');
    const v7 = join(dir, 'instances-v7.dat');
    writeFileSync(v6, bytes());
    execFileSync(TRACE_CMD!, ['convert', '-i', v6, '-o', v7, '--file-version', '7', '--compression', 'zstd'], { stdio: 'ignore' });
    for (const file of [v6, v7]) {
      const ref = execFileSync(TRACE_CMD!, ['report', '-N', '-i', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').replace(/\n$/, '').split('\n');
      expect(ref.some((l) => l.startsWith('kvm: '))).toBe(true);
      expectSameLines(report(readFileSync(file)), ref);
    }
  });
});
