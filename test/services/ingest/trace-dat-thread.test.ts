// A trace.dat read on a second thread stores exactly what reading it on the importing thread stores: the
// same events, chunks, exit statistics, fault groups, threads, diagnostics and timeline, whether the input
// is held in memory (its bytes move to the thread) or in a temporary file (the thread opens it).
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { eventsOf, listExitStats } from '../../../main/storage/events';
import { timelineBuckets, traceSpan } from '../../../main/storage/timeline';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { traceDatThreading } from '../../../main/services/ingest/importers/trace-dat';
import { spoolLimits } from '../../../main/services/ingest/spool';
import { TraceDatThread } from '../../../main/services/ingest/importers/trace-dat-parallel';
import { writeTraceDatV6, type WriterEvent } from '../../../main/core/ingest/tracedat/writer';
import { readTraceDat } from '../../../main/core/ingest/tracedat/file';
import { decompress } from '../../../main/services/ingest/importers/trace-dat-codecs';
import { arm64KvmFormats, KVM_FORMAT_IDS as ID } from '../../../main/core/ingest/tracedat/arm64-kvm-formats';
import { tempDir } from '../../helpers/tmp';

const SHARED = join(__dirname, '../../../../shared/samples');
const DEFAULTS = { ...traceDatThreading, ...spoolLimits };
afterEach(() => {
  traceDatThreading.minBytes = DEFAULTS.minBytes;
  spoolLimits.spoolAt = DEFAULTS.spoolAt;
  spoolLimits.inMemoryMax = DEFAULTS.inMemoryMax;
});

/**
 * Four vCPU threads on four CPUs: exits and entries, a guest that faults on three pages, NISV exits. With
 * `instance`, all but every tenth event are recorded in that instance (`trace-cmd record -B`).
 */
function kvmTrace(n: number, instance?: string): Uint8Array {
  const events: WriterEvent[] = [];
  for (let i = 0; i < n; i++) {
    const v = i % 4;
    const pid = 4250 + v;
    const t = 1_000_000_000_000n + BigInt(i) * 2_500n;
    const pc = 0xffff80001073c000n + BigInt((i % 7) * 4);
    switch (i % 5) {
      case 0:
        events.push({ cpu: v, tsNs: t, id: ID.kvm_exit, pid, values: { ret: i % 3 === 0 ? 1 : 2, esr_ec: i % 2 ? 0x24 : 0x18, vcpu_pc: pc } });
        break;
      case 1:
        events.push({ cpu: v, tsNs: t, id: ID.kvm_guest_fault, pid, values: { vcpu_pc: pc, hsr: 0x93c08006, hxfar: 0xffff800009002000n, ipa: 0x9000000 + (i % 3) * 4096 } });
        break;
      case 2:
        events.push({ cpu: v, tsNs: t, id: ID.kvm_mmio_nisv, pid, values: { vcpu_pc: pc, esr: 0x92000061, far: 0xffff800012e01008n, ipa: 0x10001008 } });
        break;
      default:
        events.push({ cpu: v, tsNs: t, id: ID.kvm_entry, pid, values: { vcpu_pc: pc } });
    }
  }
  const cmdlines = new Map([0, 1, 2, 3].map((v) => [4250 + v, `CPU ${v}/KVM`] as [number, string]));
  const placed = instance === undefined ? events : events.map((e, i) => (i % 10 === 0 ? e : { ...e, instance }));
  return writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 4, cmdlines, instances: instance === undefined ? [] : [instance] }, placed);
}

function snapshot(db: Db, bundleId: number): unknown {
  const events = [...eventsOf(db, { bundleId })].map((e) => [e.timeNs, e.cpu, e.pid, e.comm, e.event, e.args, e.line]);
  const chunks = db.prepare(`SELECT seq, first_event, count, base_ts, min_ts, max_ts, name_set FROM trace_chunks ORDER BY seq`).raw().all();
  const files = db.prepare(`SELECT dialect, cpus, events, min_ts, max_ts FROM trace_files`).raw().all();
  const strings = db.prepare(`SELECT * FROM trace_strings ORDER BY kind, id`).raw().all();
  const threads = db.prepare(`SELECT * FROM trace_threads ORDER BY tid`).raw().all();
  const diags = db.prepare(`SELECT kind, file, line, message FROM diagnostics ORDER BY id`).raw().all();
  const faults = allFaults(db, bundleId).map((f) => ({ ...f, id: 0, bundleId: 0, fileId: 0 }));
  const span = traceSpan(db, bundleId);
  const timeline = span === null ? null : timelineBuckets(db, bundleId, { fromNs: span.fromNs, toNs: span.toNs, buckets: 50 });
  return { events, chunks, files, strings, threads, diags, faults, exits: listExitStats(db, bundleId), timeline };
}

async function ingest(path: string, threaded: boolean, onDisk = false): Promise<unknown> {
  traceDatThreading.minBytes = threaded ? 0 : Infinity;
  if (onDisk) Object.assign(spoolLimits, { spoolAt: 0, inMemoryMax: 0 });
  const start = vi.spyOn(TraceDatThread, 'start');
  const db = openDatabase(join(tempDir(), 'x.db'));
  const s = await ingestBundle(db, [path]);
  const snap = snapshot(db, s.bundleId!);
  db.close();
  // The thread did read it (where it cannot start, the importing thread reads, and this would hold trivially).
  const started = await Promise.all(start.mock.results.map((r) => r.value as Promise<TraceDatThread | null>));
  start.mockRestore();
  expect(started.map((t) => t !== null)).toEqual(threaded ? [true] : []);
  return { stats: [s.events, s.faults, s.files.map((f) => [f.format, f.events, f.faults])], snap };
}

describe('trace.dat on a reader thread', () => {
  it('stores the same as reading on the importing thread: a KVM trace, in memory and spooled to a file', async () => {
    const path = join(tempDir(), 'trace.dat');
    writeFileSync(path, kvmTrace(30_000));
    const here = await ingest(path, false);
    expect((here as { stats: number[] }).stats[0]).toBe(30_000);
    expect(await ingest(path, true)).toEqual(here);
    expect(await ingest(path, true, true)).toEqual(here);
    // Cut in the middle of its event data: the events before the damage, and the same diagnostic.
    const cut = join(tempDir(), 'trace.dat');
    const whole = kvmTrace(30_000);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const cutHere = await ingest(cut, false);
    expect((cutHere as { snap: { diags: string[][] } }).snap.diags.map((d) => d[0])).toContain('tracedat-corrupt');
    expect(await ingest(cut, true)).toEqual(cutHere);
  }, 60_000);

  it('reads the file it sniffed, though it is rotated meanwhile, in memory and read where it is', async () => {
    for (const onDisk of [false, true]) {
      const dir = tempDir();
      const path = join(dir, 'trace.dat');
      writeFileSync(path, kvmTrace(30_000));
      const here = (await ingest(path, true, onDisk)) as { snap: { events: unknown[] } };
      traceDatThreading.minBytes = 0;
      const db = openDatabase(join(tempDir(), 'x.db'));
      let rotated = false;
      // Once the file is being read: a trace renamed and a new file written under its name.
      const s = await ingestBundle(db, [dir], {
        onProgress: (p) => {
          if (rotated || p.file === null) return;
          rotated = true;
          renameSync(path, `${path}.1`);
          writeFileSync(path, 'not a trace\n');
        },
      });
      const events = (snapshot(db, s.bundleId!) as { events: unknown[] }).events;
      db.close();
      expect(rotated).toBe(true);
      expect(events.length, onDisk ? 'read where it is' : 'in memory').toBe(30_000);
      expect(events).toEqual(here.snap.events);
    }
  }, 60_000);

  it('stores the same as reading on the importing thread: the v7 sample (zstd, dropped events, sched comms)', async () => {
    const path = join(SHARED, 'tracedat', 'x86_64-syscalls-v7-zstd.trace.dat');
    const here = await ingest(path, false);
    expect(await ingest(path, true)).toEqual(here);
  }, 60_000);

  it('stores times beyond 2^53 ns exactly (a host up for more than 104 days), on either thread', async () => {
    const start = 9_100_000_000_001_733n;
    const events: WriterEvent[] = [];
    for (let i = 0; i < 20_000; i++) {
      const v = i % 2;
      const t = start + BigInt(i) * 1_001n + BigInt(v);
      if (i % 500 === 7) events.push({ cpu: v, tsNs: t, id: ID.kvm_guest_fault, pid: 4250 + v, values: { vcpu_pc: 0xffff80001073c000n, hsr: 0x93c08006, hxfar: 0xffff800009002000n, ipa: 0x9000000 } });
      else events.push({ cpu: v, tsNs: t, id: i % 2 ? ID.kvm_entry : ID.kvm_exit, pid: 4250 + v, values: { ret: 2, esr_ec: 0x24, vcpu_pc: 0xffff80001073c000n } });
    }
    const path = join(tempDir(), 'trace.dat');
    writeFileSync(path, writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines: new Map() }, events));
    for (const threaded of [false, true]) {
      const { snap } = (await ingest(path, threaded)) as { snap: { events: unknown[][]; faults: { timeNs: bigint | null; firstNs: bigint | null; lastNs: bigint | null }[] } };
      expect(snap.events.map((e) => e[0])).toEqual(events.map((e) => e.tsNs));
      // The group of the 40 faults: its first time and its last (an odd number of ns, not a double).
      const faults = events.filter((e) => e.id === ID.kvm_guest_fault).map((e) => e.tsNs);
      expect(faults.at(-1)! % 2n).toBe(1n);
      expect([snap.faults[0]!.timeNs, snap.faults[0]!.firstNs, snap.faults[0]!.lastNs]).toEqual([faults[0], faults[0], faults.at(-1)]);
    }
  }, 60_000);

  it('reads the events of an instance with the top buffer\'s, on either thread; an instance cut off is named', async () => {
    const path = join(tempDir(), 'trace.dat');
    writeFileSync(path, kvmTrace(30_000, 'kvm'));
    const plain = join(tempDir(), 'trace.dat');
    writeFileSync(plain, kvmTrace(30_000));
    type Snap = { stats: unknown[]; snap: { events: unknown[][]; faults: unknown[]; diags: string[][]; timeline: unknown } };
    const here = (await ingest(path, false)) as Snap;
    expect(await ingest(path, true)).toEqual(here);
    // The same events, faults and timeline as the trace recorded in the top buffer alone.
    const alone = (await ingest(plain, false)) as Snap;
    expect(here.stats).toEqual(alone.stats);
    expect([here.snap.events, here.snap.faults, here.snap.timeline]).toEqual([alone.snap.events, alone.snap.faults, alone.snap.timeline]);
    expect(here.snap.diags.map((d) => [d[0], d[3]])).toContainEqual(['tracedat-instances-merged', 'events of the instance kvm merged with the top buffer\'s in time order']);
    // Cut where the instance's CPU table starts (after the top buffer's data): the top buffer's events stay.
    const whole = kvmTrace(30_000, 'kvm');
    const meta = readTraceDat({ size: whole.length, read: (o, n) => whole.subarray(o, o + n) }, decompress);
    if (!meta.ok) throw new Error(meta.error);
    const topEnd = Math.max(...meta.value.buffers[0]!.cpus.map((c) => c.offset + c.size));
    const cut = join(tempDir(), 'trace.dat');
    writeFileSync(cut, whole.subarray(0, topEnd + 4));
    const cutHere = (await ingest(cut, false)) as Snap;
    expect(cutHere.stats[0]).toBe(3_000);
    expect(cutHere.snap.diags.map((d) => d[0])).toContain('tracedat-instance-unreadable');
    expect(await ingest(cut, true)).toEqual(cutHere);
  }, 60_000);
});
