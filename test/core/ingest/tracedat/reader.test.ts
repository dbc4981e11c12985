// trace.dat metadata and records. Expected values: `trace-cmd dump --summary/--options/--flyrecord` of the
// samples as read by a person (../shared/samples/tracedat/SOURCE.md lists what each file is), and the
// ring-buffer layout of kernel/trace/ring_buffer.c for hand-built pages.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/tmp';
import { describe, expect, it } from 'vitest';
import { readTraceDat } from '../../../../main/core/ingest/tracedat/file';
import { TraceDatReader } from '../../../../main/core/ingest/tracedat/reader';
import { PageCursor } from '../../../../main/core/ingest/tracedat/ring-buffer';
import { decompress } from '../../../../main/services/ingest/importers/trace-dat-codecs';
import { writeTraceDatV6, type WriterEvent } from '../../../../main/core/ingest/tracedat/writer';
import { arm64KvmFormats, KVM_FORMAT_IDS as ID } from '../../../../main/core/ingest/tracedat/arm64-kvm-formats';

const SAMPLES = join(__dirname, '../../../../../shared/samples/tracedat');
const src = (b: Uint8Array) => ({ size: b.length, read: (o: number, n: number) => b.subarray(o, Math.min(o + n, b.length)) });
const load = (name: string) => src(readFileSync(join(SAMPLES, name)));

describe('trace.dat metadata', () => {
  it('v6: little-endian, 64-bit long, 4 KiB pages, 2 CPUs, flyrecord offsets page aligned', () => {
    const r = readTraceDat(load('x86_64-syscalls-v6.trace.dat'), decompress);
    if (!r.ok) throw new Error(r.error);
    const f = r.value;
    expect([f.version, f.bigEndian, f.longSize, f.pageSize, f.compression]).toEqual([6, false, 8, 4096, null]);
    expect(f.cpuCount).toBe(2);
    // trace-cmd dump --summary: 101 event systems + 18 ftrace formats, kallsyms 5,412,550 bytes,
    // printk 4,316, saved cmdlines 5,973; CPU 1 has no data
    expect(f.formats.length).toBe(2323);
    expect([f.kallsyms.length, f.printk.length, f.cmdlines.length]).toEqual([5_412_550, 4_316, 5_973]);
    expect(f.buffers[0]!.cpus.map((c) => [c.cpu, c.offset % 4096, c.size])).toEqual([
      [0, 0, 974_848],
      [1, 0, 0],
    ]);
  });

  it('v7: zstd 1.5.4 sections, the "local" clock, one CPU with 102,653 compressed bytes', () => {
    const r = readTraceDat(load('x86_64-syscalls-v7-zstd.trace.dat'), decompress);
    if (!r.ok) throw new Error(r.error);
    const f = r.value;
    expect([f.version, f.compression]).toEqual([7, { name: 'zstd', version: '1.5.4' }]);
    expect(f.cpuCount).toBe(2); // CPUCOUNT option
    expect(f.buffers).toEqual([{ name: '', clock: 'local', pageSize: 4096, compressed: true, cpus: [{ cpu: 0, offset: 1_142_784, size: 102_653 }] }]);
  });

  it('v7 recording: uname, tracer version and the perf clock from its options', () => {
    const r = readTraceDat(load('lanhaocoder-LanGraph-x86_64-v7-zstd.trace.dat'), decompress);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.uname).toBe('Linux lanhao-VirtualBox 5.15.0-50-generic x86_64');
    expect(r.value.tracerVersion).toBe('3.1.4 9c4c57389156ecc758d685ee4096ccd10e504022+');
    expect(r.value.buffers[0]!.clock).toBe('perf');
    expect(r.value.buffers[0]!.cpus.map((c) => c.size)).toEqual([46_888, 47_124, 31_212, 126_844]);
  });

  it('refuses what is not a trace.dat, or a version it does not know', () => {
    expect(readTraceDat(src(new TextEncoder().encode('hello world, not a trace')), decompress)).toEqual({ ok: false, error: 'not a trace.dat (bad magic)' });
    const v5 = new Uint8Array([0x17, 0x08, 0x44, ...new TextEncoder().encode('tracing5'), 0, 0, 8, 0, 16, 0, 0]);
    expect(readTraceDat(src(v5), decompress)).toEqual({ ok: false, error: 'trace.dat version 5 is not supported (6 and 7 are)' });
  });

  it('a truncated file is an error, not an exception', () => {
    const b = readFileSync(join(SAMPLES, 'x86_64-syscalls-v6.trace.dat')).subarray(0, 5000);
    const r = readTraceDat(src(b), decompress);
    expect(r.ok).toBe(false);
  });
});

describe('instances that cannot be read', () => {
  const events: WriterEvent[] = [
    { cpu: 0, tsNs: 1_000n, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: 1 } },
    { cpu: 1, tsNs: 2_000n, id: ID.kvm_entry, pid: 8, values: { vcpu_pc: 2 }, instance: 'kvmé' },
    { cpu: 0, tsNs: 3_000n, id: ID.kvm_entry, pid: 9, values: { vcpu_pc: 3 }, instance: 'o' },
  ];
  const whole = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map(), instances: ['kvmé', 'o'] }, events);
  // The first BUFFER option's u64 offset: after "options  \0", its u16 id and u32 size (writer.ts).
  const firstOffsetAt = Buffer.from(whole).indexOf('options  \0') + 10 + 2 + 4;
  const withFirstOffset = (v: bigint): Uint8Array => {
    const b = whole.slice();
    new DataView(b.buffer).setBigUint64(firstOffsetAt, v, true);
    return b;
  };
  const meta = (b: Uint8Array) => {
    const r = readTraceDat(src(b), decompress);
    if (!r.ok) throw new Error(r.error);
    return { buffers: r.value.buffers.map((x) => x.name), unread: r.value.unreadBuffers.map((x) => [x.name, x.error]) };
  };

  it('names are UTF-8, and every buffer is read when all is well', () => {
    expect(meta(whole)).toEqual({ buffers: ['', 'kvmé', 'o'], unread: [] });
  });

  it('an offset beyond any file, or at what is not a CPU table, loses that instance only, named', () => {
    const huge = meta(withFirstOffset(2n ** 60n));
    expect(huge.buffers).toEqual(['', 'o']);
    expect(huge.unread.map((u) => u[0])).toEqual(['kvmé']);
    const zero = meta(withFirstOffset(0n));
    expect(zero.buffers).toEqual(['', 'o']);
    expect(zero.unread).toEqual([['kvmé', 'no "flyrecord" CPU table at offset 0']]);
  });
});

describe.skipIf(!existsSync('/usr/bin/trace-cmd'))('a v7 file with instances cut short', () => {
  it('keeps the top buffer when the options section of the instances lies beyond the cut', () => {
    const events: WriterEvent[] = [];
    for (let i = 0; i < 300; i++) events.push({ cpu: i % 2, tsNs: BigInt(1_000 + i * 10), id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i }, ...(i % 3 === 0 ? { instance: 'kvm' } : {}) });
    const dir = tempDir('faultline-v7cut-');
    writeFileSync(join(dir, 'v6.dat'), writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map(), instances: ['kvm'] }, events));
    execFileSync('/usr/bin/trace-cmd', ['convert', '-i', join(dir, 'v6.dat'), '-o', join(dir, 'v7.dat'), '--file-version', '7', '--compression', 'none'], { stdio: 'ignore' });
    const v7 = readFileSync(join(dir, 'v7.dat'));
    const full = readTraceDat(src(v7), decompress);
    if (!full.ok) throw new Error(full.error);
    const top = full.value.buffers.find((b) => b.name === '')!;
    const inst = full.value.buffers.find((b) => b.name === 'kvm')!;
    const topEnd = Math.max(...top.cpus.map((c) => c.offset + c.size));
    const instStart = Math.min(...inst.cpus.filter((c) => c.size > 0).map((c) => c.offset));
    // trace-cmd writes the top buffer's data, then the instance's, then the options that name the instance.
    expect(instStart).toBeGreaterThanOrEqual(topEnd);
    const cut = v7.subarray(0, instStart + 10);
    const r = TraceDatReader.open(src(cut), decompress);
    if (!r.ok) throw new Error(r.error);
    let n = 0;
    r.value.read(() => {
      n++;
    });
    expect(n).toBe(200);
    expect(r.value.file.problems.length + r.value.file.unreadBuffers.length).toBeGreaterThan(0);
  });
});

describe('records in time order across CPUs', () => {
  it('merges CPUs by timestamp, the lower CPU first on a tie, with comms from saved cmdlines', () => {
    const bytes = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map([[7, 'CPU 0/KVM']]) }, [
      { cpu: 1, tsNs: 100n, id: ID.kvm_entry, pid: 8, values: { vcpu_pc: 1 } },
      { cpu: 0, tsNs: 100n, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: 2 } },
      { cpu: 0, tsNs: 50n, id: ID.kvm_exit, pid: 7, values: { ret: 2, esr_ec: 0x18, vcpu_pc: 3 } },
      // more than 2^27 ns later: a time-extend event in the page
      { cpu: 1, tsNs: 100n + 2n ** 30n, id: ID.kvm_entry, pid: 0, values: { vcpu_pc: 4 } },
    ]);
    const r = TraceDatReader.open(src(bytes), decompress);
    if (!r.ok) throw new Error(r.error);
    const seen: string[] = [];
    r.value.read((rec) => {
      seen.push(`${rec.ts}/${rec.cpu}/${rec.format?.name}/${r.value.comm(rec.pid)}`);
    });
    expect(seen).toEqual(['50/0/kvm_exit/CPU 0/KVM', '100/0/kvm_entry/CPU 0/KVM', '100/1/kvm_entry/<...>', `${100 + 2 ** 30}/1/kvm_entry/<idle>`]);
  });
});

describe('corrupt pages', () => {
  // 200 kvm_entry events in the top buffer (CPU 0), 200 kvm_mmio in instance kvm (CPU 1), a page each
  // 4 KiB: the instance's first page is damaged as a page written over could be.
  const T = 1_000_000_000_000n;
  const events: WriterEvent[] = [];
  for (let i = 0; i < 200; i++) {
    events.push({ cpu: 0, tsNs: T + BigInt(i * 100), id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i } });
    events.push({ cpu: 1, tsNs: T + BigInt(i * 100 + 1), id: ID.kvm_mmio, pid: 8, values: { type: 1, len: 4, gpa: 0x9000000, val: i }, instance: 'kvm' });
  }
  const whole = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map(), instances: ['kvm'] }, events);
  const cpu1 = (): { offset: number } => {
    const m = readTraceDat(src(whole), decompress);
    if (!m.ok) throw new Error(m.error);
    return m.value.buffers[1]!.cpus[1]!;
  };
  function readAll(bytes: Uint8Array): { names: string[]; problems: string[] } {
    const r = TraceDatReader.open(src(bytes), decompress);
    if (!r.ok) throw new Error(r.error);
    const st = r.value.stream();
    if (!st.ok) throw new Error(st.error);
    const names: string[] = [];
    const pumped = st.value.pump((rec) => {
      names.push(rec.format!.name);
    }, Infinity);
    expect(pumped.ok).toBe(true);
    return { names, problems: st.value.problems };
  }

  it('one CPU\'s page that cannot be read loses only that page: every other event is read, the CPU named', () => {
    const b = whole.slice();
    const v = new DataView(b.buffer);
    const page = cpu1().offset;
    // The commit says the data fills the page; a padding event sends the next header to its last 4 bytes,
    // and that header is a time extend whose u32 would lie past the page.
    v.setUint32(page + 8, 4080, true);
    v.setUint32(page + 16, 29, true);
    v.setUint32(page + 20, 4072, true);
    v.setUint32(page + 4092, 30, true);
    const { names, problems } = readAll(b);
    expect(names.filter((n) => n === 'kvm_entry').length).toBe(200);
    const mmio = names.filter((n) => n === 'kvm_mmio').length;
    expect(mmio).toBeGreaterThan(0);
    expect(mmio).toBeLessThan(200);
    expect(problems).toEqual(['instance kvm CPU 1: 1 page with events past the page\'s data (the rest of each page skipped)']);
    expect(readAll(whole).problems).toEqual([]);
  });

  it('a file cut inside a page: the whole events before the cut are read, in order, none in part', () => {
    const one: WriterEvent[] = [];
    for (let i = 0; i < 400; i++) one.push({ cpu: 0, tsNs: 1_000_000n + BigInt(i * 10), id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i } });
    const b = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map() }, one);
    const m = readTraceDat(src(b), decompress);
    if (!m.ok) throw new Error(m.error);
    const page = m.value.buffers[0]!.cpus[0]!.offset;
    const times = (bytes: Uint8Array): bigint[] => {
      const r = TraceDatReader.open(src(bytes), decompress);
      if (!r.ok) throw new Error(r.error);
      const out: bigint[] = [];
      r.value.read((rec) => {
        out.push(rec.epoch + BigInt(rec.ts));
      });
      return out;
    };
    const firstPage = times(b.subarray(0, page + 4096)).length;
    const cut = times(b.subarray(0, page + 4096 + 2000));
    expect(cut.length).toBeGreaterThan(firstPage);
    expect(cut).toEqual(one.slice(0, cut.length).map((e) => e.tsNs));
  });

  it('an event cut by the end of its page\'s data is not read in part', () => {
    const b = whole.slice();
    const v = new DataView(b.buffer);
    const page = cpu1().offset;
    // The commit cut 2 bytes into the page's last event: that event is skipped, the ones before it read.
    const commit = v.getUint32(page + 8, true);
    v.setUint32(page + 8, commit - 2, true);
    const { names, problems } = readAll(b);
    expect(names.filter((n) => n === 'kvm_mmio').length).toBe(199);
    expect(problems.length).toBe(1);
  });
});

describe('times beyond 2^53 ns (a host up for more than 104 days)', () => {
  it('are read exactly, in their order, nanosecond steps across CPUs included', () => {
    for (const start of [9_100_000_000_001_733n, 123_000_000_000_000_001n]) {
      const events: WriterEvent[] = [
        { cpu: 0, tsNs: start, id: ID.kvm_exit, pid: 7, values: { ret: 2, esr_ec: 0x24, vcpu_pc: 1 } },
        { cpu: 1, tsNs: start + 1n, id: ID.kvm_entry, pid: 8, values: { vcpu_pc: 2 } },
        { cpu: 0, tsNs: start + 2n, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: 3 } },
        { cpu: 1, tsNs: start + 3n, id: ID.kvm_exit, pid: 8, values: { ret: 2, esr_ec: 0x24, vcpu_pc: 4 } },
        // A time extend, then an hour later on a new page.
        { cpu: 0, tsNs: start + 2n ** 30n + 5n, id: ID.kvm_exit, pid: 7, values: { ret: 1, esr_ec: 0, vcpu_pc: 5 } },
        { cpu: 1, tsNs: start + 3_600_000_000_001n, id: ID.kvm_entry, pid: 8, values: { vcpu_pc: 6 } },
      ];
      const r = TraceDatReader.open(src(writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map() }, events)), decompress);
      if (!r.ok) throw new Error(r.error);
      const seen: string[] = [];
      r.value.read((rec) => {
        seen.push(`${rec.epoch + BigInt(rec.ts)}/${rec.cpu}`);
      });
      expect(seen).toEqual(events.map((e) => `${e.tsNs}/${e.cpu}`));
    }
  });
});

describe('times adjusted by the file\'s options', () => {
  it('an OFFSET of the wall clock\'s ns since 1970 (trace-cmd record --date) gives exact times', () => {
    const offset = 1_732_000_000_123_456_789n;
    const raw = [1_000_000_000_001n, 1_000_000_000_003n, 1_000_000_000_004n, 1_000_003_600_005n];
    const events: WriterEvent[] = raw.map((t, i) => ({ cpu: i % 2, tsNs: t, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i } }));
    // OPTION OFFSET (7): the offset as decimal text (trace-cmd.dat.v6.5.txt).
    const options = [{ id: 7, data: new TextEncoder().encode(`${offset}\0`) }];
    const r = TraceDatReader.open(src(writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map(), options }, events)), decompress);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.file.offsetNs).toBe(offset);
    const seen: bigint[] = [];
    r.value.read((rec) => {
      seen.push(rec.epoch + BigInt(rec.ts));
    });
    expect(seen).toEqual(raw.map((t) => t + offset));
  });

  function readWithOffset(offsetText: string, raw: bigint[]): { times: bigint[]; offsetNs: bigint; problems: string[] } {
    const events: WriterEvent[] = raw.map((t, i) => ({ cpu: i % 2, tsNs: t, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i } }));
    const options = [{ id: 7, data: new TextEncoder().encode(`${offsetText}\0`) }];
    const r = TraceDatReader.open(src(writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map(), options }, events)), decompress);
    if (!r.ok) throw new Error(r.error);
    const st = r.value.stream();
    if (!st.ok) throw new Error(st.error);
    const times: bigint[] = [];
    st.value.pump((rec) => {
      times.push(rec.epoch + BigInt(rec.ts));
    }, Infinity);
    return { times, offsetNs: r.value.file.offsetNs, problems: [...r.value.file.problems, ...st.value.problems] };
  }

  it('also on a host up for more than 104 days (ring-buffer times beyond 2^53 ns)', () => {
    const offset = 1_732_000_000_123_456_789n;
    const raw = [9_100_000_000_001_733n, 9_100_000_000_001_734n, 9_100_000_000_001_737n, 9_100_000_000_002_001n];
    expect(readWithOffset(`${offset}`, raw).times).toEqual(raw.map((t) => t + offset));
  });

  it('TSC2NSEC scales the counter as trace-cmd does: (ts * mult) >> shift, its offset field not added', () => {
    const raw = [1_000n, 2_001n, 30_000_000_007n];
    const events: WriterEvent[] = raw.map((t, i) => ({ cpu: 0, tsNs: t, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i } }));
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 5, true);
    v.setUint32(4, 2, true);
    v.setBigUint64(8, 1000n, true);
    const r = TraceDatReader.open(src(writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map(), options: [{ id: 14, data: body }] }, events)), decompress);
    if (!r.ok) throw new Error(r.error);
    const seen: bigint[] = [];
    r.value.read((rec) => {
      seen.push(rec.epoch + BigInt(rec.ts));
    });
    expect(seen).toEqual(raw.map((t) => (t * 5n) >> 2n));
  });

  it('an OFFSET read as trace-cmd reads it (a leading number), and one past 2^63 ns clamped, each said', () => {
    const odd = readWithOffset('12abc', [1_000n, 2_000n]);
    expect([odd.offsetNs, odd.times]).toEqual([12n, [1_012n, 2_012n]]);
    expect(odd.problems).toEqual(['OFFSET option "12abc" is not a number: read as 12 ns']);
    const huge = readWithOffset('9223372036854775000', [1_000_000_000_000n, 1_000_000_000_001n]);
    expect(huge.times).toEqual([2n ** 63n - 1n, 2n ** 63n - 1n]);
    expect(huge.problems).toEqual(["times adjusted by the file's OFFSET or TSC2NSEC option pass 2^63 ns: they were clamped there"]);
  });
});

describe('the epoch of times beyond 2^53 ns', () => {
  it('is not taken from an empty page (its stamp may be 0): the times stay exact', () => {
    const start = 9_100_000_000_001_733n;
    const events: WriterEvent[] = [];
    // CPU 0: three pages' worth; CPU 1: a few events at odd nanoseconds.
    for (let i = 0; i < 400; i++) events.push({ cpu: 0, tsNs: start + BigInt(i * 10), id: ID.kvm_entry, pid: 7, values: { vcpu_pc: i } });
    for (let i = 0; i < 5; i++) events.push({ cpu: 1, tsNs: start + 3n + BigInt(i * 1001), id: ID.kvm_entry, pid: 8, values: { vcpu_pc: i } });
    const b = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map() }, events);
    const m = readTraceDat(src(b), decompress);
    if (!m.ok) throw new Error(m.error);
    // CPU 0's first page emptied and stamped 0, as a page never written can be.
    const page = m.value.buffers[0]!.cpus[0]!.offset;
    const v = new DataView(b.buffer);
    v.setBigUint64(page, 0n, true);
    v.setBigUint64(page + 8, 0n, true);
    const r = TraceDatReader.open(src(b), decompress);
    if (!r.ok) throw new Error(r.error);
    const cpu1: bigint[] = [];
    r.value.read((rec) => {
      if (rec.cpu === 1) cpu1.push(rec.epoch + BigInt(rec.ts));
    });
    expect(cpu1).toEqual(events.filter((e) => e.cpu === 1).map((e) => e.tsNs));
  });
});

describe('comms', () => {
  it('a pid looked up before the sched plugin registers its comm gets the registered comm after; a known comm is never replaced', () => {
    const bytes = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map([[7, 'CPU 0/KVM']]) }, [
      { cpu: 0, tsNs: 100n, id: ID.kvm_entry, pid: 7, values: { vcpu_pc: 1 } },
    ]);
    const r = TraceDatReader.open(src(bytes), decompress);
    if (!r.ok) throw new Error(r.error);
    const reader = r.value;
    // pids 9 and 9 + 64 (the same slot of a cache of 64) and 7 from the saved cmdlines
    expect([reader.comm(9), reader.comm(73), reader.comm(7), reader.comm(0)]).toEqual(['<...>', '<...>', 'CPU 0/KVM', '<idle>']);
    reader.registerComm(9, 'qemu-system-aar');
    reader.registerComm(7, 'other');
    expect([reader.comm(9), reader.comm(73), reader.comm(7)]).toEqual(['qemu-system-aar', '<...>', 'CPU 0/KVM']);
    reader.registerComm(73, 'vhost-73');
    expect([reader.comm(73), reader.comm(9), reader.comm(73)]).toEqual(['vhost-73', 'qemu-system-aar', 'vhost-73']);
  });
});

describe('ring-buffer pages (kernel/trace/ring_buffer.c)', () => {
  /** A little-endian page with a 64-bit commit: u64 ts, u64 commit, then `data`. */
  function page(ts: number, commit: number, data: number[], extra: number[] = []): Uint8Array {
    const p = new Uint8Array(4096);
    const v = new DataView(p.buffer);
    v.setBigUint64(0, BigInt(ts), true);
    v.setBigUint64(8, BigInt(commit), true);
    data.forEach((w, i) => v.setUint32(16 + i * 4, w, true));
    extra.forEach((w, i) => v.setUint32(16 + data.length * 4 + i * 4, w, true));
    return p;
  }
  const header = (typeLen: number, delta: number): number => ((delta << 5) | typeLen) >>> 0;

  it('reads data, padding, time-extend and absolute time-stamp events', () => {
    const words = [
      header(1, 10), 0xaaaa, // data of 4 bytes, +10 ns
      // padding: its length word counts the bytes after the header, itself included
      // (kernel rb_reset_tail: array[0] = remaining - RB_EVNT_HDR_SIZE; kbuffer: next = index + length)
      header(29, 0), 8,
      0xdead,
      header(30, 5), 1, // time extend: +5 + (1 << 27)
      header(1, 0), 0xbbbb,
      header(31, 7), 2, // absolute: (2 << 27) | 7
      header(0, 3), 12, 0xcccc, 0xdddd, // type 0: length word 12 = 8 bytes of data + 4
    ];
    let served = false;
    const c = new PageCursor(true, 8, 16, () => {
      if (served) return null;
      served = true;
      return page(1000, words.length * 4, words);
    });
    const got: [number, number][] = [];
    while (c.next()) got.push([c.ts, c.dataEnd - c.dataStart]);
    expect(got).toEqual([
      [1010, 4],
      [1010 + 5 + 2 ** 27, 4],
      // the absolute time stamp replaces the time (its top 5 bits from the current time: 0 here)
      [2 * 2 ** 27 + 7 + 3, 8],
    ]);
  });

  it('reports lost events: a stored count after the data, or an unknown number', () => {
    const MISSED = 2 ** 31;
    const STORED = 2 ** 30;
    const pages = [page(0, (MISSED | STORED | 8) >>> 0, [header(1, 1), 0x1], [1234, 0]), page(10, (MISSED | 8) >>> 0, [header(1, 1), 0x2])];
    const c = new PageCursor(true, 8, 16, () => pages.shift() ?? null);
    const missed: number[] = [];
    while (c.next()) missed.push(c.missed);
    expect(missed).toEqual([1234, -1]);
  });
});
