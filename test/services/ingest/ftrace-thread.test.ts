// Ftrace text tokenized on a second thread stores exactly what tokenizing on the importing thread stores:
// the same file (events of both dialects, wrapped and quoted events, frames, markers, junk, a fault storm)
// ingested both ways gives the same events, chunks, exit statistics, faults, diagnostics and timeline.
import { renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { eventsOf, listExitStats } from '../../../main/storage/events';
import { timelineBuckets, traceSpan } from '../../../main/storage/timeline';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { ftraceTextThreading } from '../../../main/services/ingest/importers/ftrace-text';
import { tempDir } from '../../helpers/tmp';

const DEFAULT_MIN = ftraceTextThreading.minBytes;
afterEach(() => {
  ftraceTextThreading.minBytes = DEFAULT_MIN;
});

/**
 * `nonAsciiFrom`: the event index from which one event in 13 has a non-ASCII comm. `counter`: times printed
 * as a clock that does not count ns prints them (trace_print_time "%12llu": the bare count).
 */
function traceText(n: number, nonAsciiFrom: number, counter = false): string {
  const lines = ['# tracer: nop', '#', '# entries-in-buffer/entries-written: 900/1000   #P:4', '#'];
  for (let i = 0; i < n; i++) {
    const us = 1_000_000_000 + i * 7;
    const t = counter ? String(us * 25).padStart(12, ' ') : `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
    const v = i % 4;
    switch (i % 13) {
      case 0:
      case 5:
      case 9:
        lines.push(`       CPU ${v}/KVM-${4250 + v}    (   4242) [00${v}] d..1.  ${t}: kvm_exit: TRAP: HSR_EC: 0x00${i % 2 ? '24' : '18'} (${i % 2 ? 'DABT_LOW' : 'SYS64'}), PC: 0xffff8000102821f8`);
        break;
      case 1:
      case 6:
      case 10:
        lines.push(`       CPU ${v}/KVM-${4250 + v}    (   4242) [00${v}] d..1.  ${t}: kvm_entry: PC: 0xffff8000102821f8`);
        break;
      case 2:
        lines.push(`       CPU ${v}/KVM-${4250 + v}    (   4242) [00${v}] d..1.  ${t}: kvm_guest_fault: ipa 0x${(0x9000000 + (i % 3) * 4096).toString(16)}, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c080`);
        break;
      case 3:
        lines.push(`  kvm-vcpu-0-88776   [001] ...1  ${t}: kvm_exit: TRAP: `, `HSR_EC: 0x0001 (WFx), PC: 0x0000000080528a6c`);
        break;
      case 4:
        lines.push(`            bash-1977  [000] ${t}: sys_enter: NR 63 (3, ...)`, ' => do_syscall_64', ' => el0_svc');
        break;
      case 7:
        lines.push(i % 2 ? 'CPU:2 [LOST 3 EVENTS]' : 'not an event line at all');
        break;
      case 8:
        lines.push(`> > ${i >= nonAsciiFrom ? 'qému' : 'qemu'}-${100 + (i % 5)} [002] d.h1 ${t}: kvm_mmio_nisv: ipa 0x10001008 esr 0x92000061 far 0xffff800012e01008 pc 0xffff80001073cd5c`);
        break;
      default:
        lines.push(`            bash-1977  [000] ....  ${t}: do_sys_open <-do_syscall_64\r`);
    }
  }
  return lines.join('\n') + '\n';
}

function snapshot(db: Db, bundleId: number): unknown {
  const events = [...eventsOf(db, { bundleId })].map((e) => [e.timeNs, e.cpu, e.pid, e.tgid, e.comm, e.event, e.args, e.line]);
  const chunks = db.prepare(`SELECT seq, first_event, count, base_ts, min_ts, max_ts, name_set, length(args) FROM trace_chunks ORDER BY seq`).raw().all();
  const files = db.prepare(`SELECT dialect, cpus, events, min_ts, max_ts FROM trace_files`).raw().all();
  const diags = db.prepare(`SELECT * FROM diagnostics`).raw().all();
  const faults = allFaults(db, bundleId).map((f) => ({ ...f, id: 0, bundleId: 0, fileId: 0 }));
  const span = traceSpan(db, bundleId);
  const timeline = span === null ? null : timelineBuckets(db, bundleId, { fromNs: span.fromNs, toNs: span.toNs, buckets: 50 });
  return { events, chunks, files, diags, faults, exits: listExitStats(db, bundleId), timeline };
}

async function ingest(path: string, minBytes: number): Promise<unknown> {
  ftraceTextThreading.minBytes = minBytes;
  const db = openDatabase(join(tempDir(), 'x.db'));
  const s = await ingestBundle(db, [path]);
  const snap = snapshot(db, s.bundleId!);
  db.close();
  return { stats: [s.lines, s.events, s.faults, s.files.map((f) => [f.format, f.lines, f.events])], snap };
}

describe('ftrace text on a tokenizer thread', () => {
  // ASCII throughout (bytes stored as read), non-ASCII from the start (decoded, encoded again), and a
  // non-ASCII line after several input chunks (the switch from one to the other).
  // The thread reads a file on disk itself, and is sent a compressed file's chunks as they are inflated.
  for (const [what, from] of [['ASCII', Infinity], ['non-ASCII', 0], ['non-ASCII late', 20_000]] as const) {
    it(`stores the same as tokenizing on the importing thread (${what}), from a file or a stream`, async () => {
      const text = traceText(30_000, from);
      const path = join(tempDir(), 'trace');
      writeFileSync(path, text);
      // Of the same name: the diagnostics name the file.
      const packed = join(tempDir(), 'trace');
      writeFileSync(packed, gzipSync(text));
      const here = await ingest(path, Infinity);
      expect(await ingest(path, 64 * 1024)).toEqual(here);
      expect(await ingest(packed, 64 * 1024)).toEqual(here);
      expect((here as { stats: number[] }).stats[1]).toBeGreaterThan(2 * 4096);
    }, 60_000);
  }

  it('stops reading the file when the ingest is cancelled, and stores nothing', async () => {
    const path = join(tempDir(), 'trace');
    writeFileSync(path, traceText(200_000, Infinity));
    ftraceTextThreading.minBytes = 64 * 1024;
    const db = openDatabase(join(tempDir(), 'x.db'));
    const abort = new AbortController();
    const seen: number[] = [];
    const s = await ingestBundle(db, [path], {
      signal: abort.signal,
      onProgress: (p) => {
        seen.push(p.lines);
        if (p.lines > 0) abort.abort();
      },
    });
    expect(s.cancelled).toBe(true);
    // Cancelled while reading, not after.
    expect(Math.max(...seen)).toBeLessThan(200_000);
    expect(db.prepare(`SELECT (SELECT count(*) FROM bundles), (SELECT count(*) FROM trace_chunks), (SELECT count(*) FROM faults)`).raw().get()).toEqual([0, 0, 0]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 60_000);

  for (const what of ['removed', 'rotated'] as const) {
    it(`reads the file it sniffed, though it is ${what} meanwhile`, async () => {
      const dir = tempDir();
      const path = join(dir, 'trace');
      writeFileSync(path, traceText(60_000, Infinity));
      ftraceTextThreading.minBytes = Infinity;
      const here = await ingest(path, Infinity);
      ftraceTextThreading.minBytes = 64 * 1024;
      const db = openDatabase(join(tempDir(), 'x.db'));
      let done = false;
      const s = await ingestBundle(db, [dir], {
        // Once the file is being read: a log rotated (renamed, a new one written) or removed under the ingest.
        onProgress: (p) => {
          if (done || p.file === null) return;
          done = true;
          if (what === 'rotated') renameSync(path, `${path}.1`);
          else unlinkSync(path);
          if (what === 'rotated') writeFileSync(path, 'a new log\n');
        },
      });
      const snap = snapshot(db, s.bundleId!) as { events: unknown[] };
      db.close();
      expect(done).toBe(true);
      expect(snap.events).toEqual((here as { snap: { events: unknown[] } }).snap.events);
      expect(s.diagnostics.map((d) => d.kind)).not.toContain('importer-failed');
    }, 60_000);
  }

  it('reports its progress while the thread reads the file, to the file\'s size', async () => {
    const path = join(tempDir(), 'trace');
    writeFileSync(path, traceText(60_000, Infinity));
    ftraceTextThreading.minBytes = 64 * 1024;
    const db = openDatabase(join(tempDir(), 'x.db'));
    const seen: number[] = [];
    const s = await ingestBundle(db, [path], { onProgress: (p) => seen.push(p.bytes) });
    db.close();
    const size = statSync(path).size;
    expect(s.bytes).toBe(size);
    // Never more than the file, never backwards, and the file's size at the end.
    expect(seen.every((b, i) => b <= size && (i === 0 || b >= seen[i - 1]!))).toBe(true);
    expect(seen.at(-1)).toBe(size);
  }, 60_000);
});

describe('a trace clock that does not count nanoseconds (counter, x86-tsc)', () => {
  it('keeps the bare counts as they are, on a clock of their own, both ways', async () => {
    const path = join(tempDir(), 'trace');
    // The last line's count is beyond what storage holds: that line alone is not read as an event (the
    // file used to fail whole, the time too big to bind).
    writeFileSync(path, traceText(20_000, Infinity, true) + '       CPU 0/KVM-4250    (   4242) [000] d..1.  99999999999999999999: kvm_entry: PC: 0x0\n');
    const here = await ingest(path, Infinity);
    expect(await ingest(path, 64 * 1024)).toEqual(here);
    const db = openDatabase(join(tempDir(), 'x.db'));
    ftraceTextThreading.minBytes = 64 * 1024;
    const s = await ingestBundle(db, [path]);
    // traceText's lines of kind 7 are not events.
    const notEvents = Array.from({ length: 20_000 }, (_, i) => i).filter((i) => i % 13 === 7).length;
    expect(s.events).toBe(20_000 - notEvents);
    expect(db.prepare(`SELECT clock FROM files WHERE format = 'ftrace-text'`).pluck().get()).toBe('counter');
    expect(db.prepare(`SELECT clock FROM trace_files`).pluck().get()).toBe('counter');
    const faults = allFaults(db, s.bundleId!);
    expect(faults.length).toBeGreaterThan(0);
    for (const f of faults) expect(f.clock).toBe('counter');
    // The first kvm_guest_fault is event 2: its count, not seconds.
    const first = faults.find((f) => f.kind === 'kvm_guest_fault');
    expect(first?.timeNs).toBe(BigInt((1_000_000_000 + 2 * 7) * 25));
    // Its text writes the time as the trace did, a count, not as seconds.
    expect(first?.text).toContain(` ${(1_000_000_000 + 2 * 7) * 25}: kvm_guest_fault: ipa 0x`);
    expect(s.diagnostics.map((d) => d.kind)).toContain('ftrace-counter-clock');
    db.close();
  }, 60_000);
});

/**
 * A function_graph trace of `n` guest aborts on two vCPU threads (trace_functions_graph.c layout): with
 * `timed`, the funcgraph-abstime and funcgraph-proc columns; without, the default columns and the switch
 * blocks that name the task. Every third abort prints a kvm_guest_fault event, on one of two pages.
 */
function graphText(n: number, timed: boolean): string {
  const lines = ['# tracer: function_graph', '#'];
  for (let i = 0; i < n; i++) {
    const cpu = i % 2;
    const task = `CPU ${cpu}/K-${4250 + cpu}`;
    const us = 1_000_000_000 + i * 20;
    const time = (k: number): string => `${Math.floor((us + k) / 1e6)}.${String((us + k) % 1e6).padStart(6, '0')} | `;
    const head = (k: number): string => (timed ? ` ${time(k)}  ${cpu})  ${task}   | ` : ` ${cpu}) `);
    if (!timed && i < 2) lines.push(' ------------------------------------------', ` ${cpu})    <idle>-0    =>  ${task}  `, ' ------------------------------------------', '');
    lines.push(`${head(0)}              |  kvm_handle_guest_abort() {`);
    lines.push(`${head(1)}  0.541 us    |    kvm_vcpu_trap_get_fault();`);
    if (i % 3 === 0) {
      lines.push(`${head(2)}              |    /* kvm_guest_fault: ipa 0x${(0x9000000 + (i % 2) * 4096).toString(16)}, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c080 */`);
    }
    lines.push(`${head(9)}+ 12.583 us   |  }`);
  }
  return lines.join('\n') + '\n';
}

describe('function_graph text', () => {
  for (const timed of [true, false]) {
    it(`${timed ? 'with times: every line an event' : 'without times: the faults only, without times'}, on either thread`, async () => {
      const path = join(tempDir(), 'trace');
      writeFileSync(path, graphText(30_000, timed));
      const here = (await ingest(path, Infinity)) as { stats: unknown[]; snap: { events: unknown[][]; faults: { count: number; firstNs: bigint | null; timeNs: bigint | null; pid: number | null }[]; diags: unknown[][] } };
      expect(await ingest(path, 64 * 1024)).toEqual(here);
      const faults = here.snap.faults;
      expect(faults.map((f) => f.count)).toEqual([5_000, 5_000]);
      const untimed = here.snap.diags.filter((d) => d.includes('ftrace-untimed'));
      if (timed) {
        expect(here.stats[1]).toBe(30_000 * 3 + 10_000);
        expect(faults.map((f) => [f.timeNs, f.pid])).toEqual([
          [1_000_000_002_000n, 4250],
          [1_000_000_062_000n, 4251],
        ]);
        expect(untimed).toEqual([]);
      } else {
        expect(here.stats[1]).toBe(0);
        expect(faults.map((f) => [f.timeNs, f.firstNs, f.pid])).toEqual([
          [null, null, 4250],
          [null, null, 4251],
        ]);
        expect(untimed.length).toBe(1);
      }
    }, 60_000);
  }

  it('read back from storage, each event has its own arguments, though a line between them reads otherwise without the header', async () => {
    // Under `# tracer: nop` the graph-shaped line is not an event; the stored chunk's text, read again
    // without that header, reads it as one: the events after it must keep their own arguments.
    const path = join(tempDir(), 'trace');
    writeFileSync(
      path,
      [
        '# tracer: nop',
        '       CPU 0/KVM-4250    [000] d..1.  1000.000001: kvm_entry: PC: 0x0000000000000001',
        ' 1000.000002 |  /* kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000000000000002 */',
        '       CPU 0/KVM-4250    [000] d..1.  1000.000003: kvm_entry: PC: 0x0000000000000003',
      ].join('\n') + '\n',
    );
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [path]);
    const events = [...eventsOf(db, { bundleId: s.bundleId! })].map((e) => [e.event, e.args, e.line]);
    db.close();
    expect(events).toEqual([
      ['kvm_entry', 'PC: 0x0000000000000001', 2],
      ['kvm_entry', 'PC: 0x0000000000000003', 4],
    ]);
  });
});

