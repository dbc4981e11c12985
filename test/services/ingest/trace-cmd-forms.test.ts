// The text `trace-cmd report` prints for a trace.dat, in the forms users paste, is read as the same events as
// the trace.dat itself: times, CPUs, threads, names and the KVM events' fields, and the same exit statistics.
// The trace.dat is written by the test (core/ingest/tracedat/writer.ts, arm64 KVM formats); its text comes
// from the installed trace-cmd where there is one, and the plugin form also from lines written here.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { eventsOf, listExitStats } from '../../../main/storage/events';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { writeTraceDatV6, type WriterEvent } from '../../../main/core/ingest/tracedat/writer';
import { arm64KvmFormats, KVM_FORMAT_IDS as ID } from '../../../main/core/ingest/tracedat/arm64-kvm-formats';
import { scanEventLine, ScannedLine } from '../../../main/core/ingest/ftrace/event-line';
import { FtraceTokenizer } from '../../../main/core/ingest/ftrace/tokenizer';
import { tempDir } from '../../helpers/tmp';

const TRACE_CMD = ['/usr/bin/trace-cmd', '/usr/local/bin/trace-cmd'].find((p) => existsSync(p)) ?? null;

/** Two vCPU threads on two CPUs, at whole microseconds (the report's default precision): exits, entries, MMIO, WFx, HVC. */
function kvmTrace(n: number, pidBase = 4250): Uint8Array {
  const events: WriterEvent[] = [];
  for (let i = 0; i < n; i++) {
    const v = i % 2;
    const pid = pidBase + v;
    const t = 1_000_000_000_000n + BigInt(i) * 3_000n;
    const pc = 0xffff80001073c000n + BigInt((i % 5) * 4);
    switch (i % 4) {
      case 0:
        events.push({ cpu: v, tsNs: t, id: ID.kvm_exit, pid, values: { ret: i % 3 === 0 ? 1 : 2, esr_ec: i % 8 === 0 ? 0x24 : 0x16, vcpu_pc: pc } });
        break;
      case 1:
        events.push({ cpu: v, tsNs: t, id: ID.kvm_mmio, pid, values: { type: i % 3, len: 4, gpa: 0x9000000 + (i % 3) * 8, val: i } });
        break;
      case 2:
        if (i % 24 === 2 || i % 24 === 14) events.push({ cpu: v, tsNs: t, id: ID.kvm_wfx_arm64, pid, values: { is_wfe: i % 24 === 2 ? 1 : 0, vcpu_pc: pc } });
        else if (i % 24 === 6) events.push({ cpu: v, tsNs: t, id: ID.kvm_hvc_arm64, pid, values: { vcpu_pc: pc, r0: 0x84000003, imm: 0 } });
        else events.push({ cpu: v, tsNs: t, id: ID.kvm_entry, pid, values: { vcpu_pc: pc } });
        break;
      default:
        // With interrupts off, in a hard interrupt, a resched pending (trace_output.c trace_print_lat_fmt).
        events.push({ cpu: v, tsNs: t, id: ID.kvm_entry, pid, values: { vcpu_pc: pc, common_flags: [0, 0x01, 0x1d, 0x09][(i >> 2) % 4]! } });
    }
  }
  const cmdlines = new Map([0, 1].map((v) => [pidBase + v, `CPU ${v}/KVM`] as [number, string]));
  return writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 2, cmdlines }, events);
}

async function ingested(path: string, diagnostics: string[] = []): Promise<{ events: unknown[]; exits: unknown[] }> {
  const db = openDatabase(join(tempDir(), 'x.db'));
  const s = await ingestBundle(db, [path]);
  const events = [...eventsOf(db, { bundleId: s.bundleId! })].map((e) => [e.timeNs, e.cpu, e.pid, e.comm, e.event, e.fields]);
  const exits = listExitStats(db, s.bundleId!).map((x) => [x.tid, x.ret, x.esrEc, x.ecName, x.count]);
  diagnostics.push(...s.diagnostics.map((d) => `${d.kind}: ${d.example}`));
  db.close();
  return { events, exits };
}

describe('libtraceevent plugin messages before an event', () => {
  it("reads the kernel's text after them", () => {
    const out = new ScannedLine();
    const exit = '       CPU 0/KVM-4250  [000]  1000.000003: kvm_exit:             <CANT FIND FIELD exit_reason>TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073cd5c';
    expect(scanEventLine(exit, out)).toBe(true);
    expect([out.name, out.args]).toEqual(['kvm_exit', 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073cd5c']);
    const entry = `       CPU 0/KVM-4250  [000]  1000.000005: kvm_entry:            CAN'T FIND FIELD "vcpu_id"<CANT FIND FIELD rip>PC: 0xffff80001073cd60`;
    expect(scanEventLine(entry, out)).toBe(true);
    expect([out.name, out.args]).toEqual(['kvm_entry', 'PC: 0xffff80001073cd60']);
    // A message that only looks alike, inside the text, is the text.
    const print = '       CPU 0/KVM-4250  [000]  1000.000007: bputs:                0xffff8000: note <CANT FIND FIELD x> here';
    expect(scanEventLine(print, out)).toBe(true);
    expect(out.args).toBe('0xffff8000: note <CANT FIND FIELD x> here');
  });
});

describe('several inputs in one report', () => {
  it("reads each line's comm after its input's name, and says the inputs were read as one trace", () => {
    const tok = new FtraceTokenizer({ event: (e) => comms.push(e.comm), marker: () => undefined, other: () => undefined, wrapped: () => undefined });
    const comms: string[] = [];
    tok.push(
      [
        'cpus=2',
        ' host.dat:        CPU 0/KVM-4250  [000]  1000.000001: kvm_entry:            PC: 0xffff80001073cd5c',
        'guest.dat:      kworker/0:1-77    [001]  1000.000002: sched_switch:         prev_comm=x',
        '       a: b-12    [001]  1000.000003: sched_switch:         prev_comm=x',
        '  averyveryverylongname-13    [001]  1000.000004: sched_switch:         prev_comm=x',
      ].join('\n') + '\n',
    );
    tok.end();
    expect(comms).toEqual(['CPU 0/KVM', 'kworker/0:1', 'a: b', 'averyveryverylongname']);
    expect([...tok.inputs]).toEqual(['host.dat', 'guest.dat']);
  });
});

describe('a text trace in a layout this reader does not know', () => {
  async function diagnosticsOf(name: string, text: string): Promise<string[]> {
    const path = join(tempDir(), name);
    writeFileSync(path, text);
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [path]);
    db.close();
    return s.diagnostics.map((d) => `${d.severity} ${d.kind}`);
  }

  it('says no event was read, where its lines were not events, and not for a trace without events', async () => {
    // The mmiotrace tracer's layout (kernel/trace/trace_mmiotrace.c): "W 4 time cpu phys value pc map-id".
    const mmio = ['# tracer: mmiotrace', 'VERSION 20070824', 'PCIDEV 0100 10de2236 0 0x10000000', 'W 4 412.883121 1 0xfeb00000 0x41 0x0 0', 'R 4 412.883125 1 0xfeb00004 0x0 0x0 0'].join('\n');
    expect(await diagnosticsOf('trace', mmio + '\n')).toContain('data-loss ftrace-no-events');
    // The function_graph layout without times (graph-line.ts): read, and said to be without times.
    const graph = [
      '# tracer: function_graph',
      '#',
      '# CPU  DURATION                  FUNCTION CALLS',
      '# |     |   |                     |   |   |   |',
      ' 0)               |  /* kvm_entry: PC: 0xffff80001073cd5c */',
      ' 0)   0.875 us    |  kvm_arch_vcpu_ioctl_run();',
    ].join('\n');
    const graphDiags = await diagnosticsOf('trace', graph + '\n');
    expect(graphDiags).toContain('data-loss ftrace-untimed');
    expect(graphDiags).not.toContain('data-loss ftrace-no-events');
    const empty = ['# tracer: nop', '#', '# entries-in-buffer/entries-written: 0/0   #P:4', '#', '#           TASK-PID     CPU#  TIMESTAMP  FUNCTION', '#              | |         |       |         |'].join('\n');
    expect(await diagnosticsOf('trace', empty + '\n')).not.toContain('data-loss ftrace-no-events');
  });
});

describe.skipIf(TRACE_CMD === null)('trace-cmd report text against its trace.dat', () => {
  const dir = tempDir();
  const dat = join(dir, 'kvm.dat');
  writeFileSync(dat, kvmTrace(4_000));
  const report = (args: string[]): string => {
    const out = join(dir, `report${args.join('')}.txt`);
    writeFileSync(out, execFileSync(TRACE_CMD!, ['report', ...args, '-i', dat], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }));
    return out;
  };

  it('the default report (libtraceevent plugins on) gives the same events and exit statistics', async () => {
    const fromDat = await ingested(dat);
    expect(fromDat.events.length).toBe(4_000);
    expect(fromDat.exits.length).toBeGreaterThan(1);
    const fromText = await ingested(report([]));
    // libtraceevent cannot evaluate kvm_wfx_arm64's `REC->is_wfe ? 'e' : 'i'`: trace-cmd prints
    // `guest executed wf>c< at: 0x0000000000000000` for every one, with no values in it.
    const withoutWfx = (r: { events: unknown[]; exits: unknown[] }) => ({ ...r, events: r.events.map((e) => ((e as unknown[])[4] === 'kvm_wfx_arm64' ? (e as unknown[]).slice(0, 5) : e)) });
    expect(withoutWfx(fromText)).toEqual(withoutWfx(fromDat));
  });

  it('the raw report (-R: each field name=value, no names) gives the same events and exit statistics', async () => {
    const fromDat = await ingested(dat);
    const fromRaw = await ingested(report(['-R']));
    expect(fromRaw).toEqual(fromDat);
  });

  it('the latency layout (-l: comm cut to 8 characters, CPU before the flags) gives the same events and exits', async () => {
    const fromDat = await ingested(dat);
    const fromLatency = await ingested(report(['-l']));
    // What the layout keeps of a comm, and (plugins on) no values of kvm_wfx_arm64, as above.
    const comparable = (r: { events: unknown[]; exits: unknown[] }) => ({
      ...r,
      events: r.events.map((e) => {
        const x = [...(e as unknown[])];
        x[3] = String(x[3]).slice(0, 8);
        return x[4] === 'kvm_wfx_arm64' ? x.slice(0, 5) : x;
      }),
    });
    expect(fromLatency.events.length).toBe(4_000);
    expect(comparable(fromLatency)).toEqual(comparable(fromDat));
  });

  it('the raw latency layout (-R -l: the flags as "-0x%x", raw fields) gives the same events and exits, with --ts-diff and -t too', async () => {
    const fromDat = await ingested(dat);
    // What the latency layout keeps of a comm ("%8.8s", tracecmd/trace-read.c trace_show_data).
    const cut = (r: { events: unknown[]; exits: unknown[] }) => ({
      ...r,
      events: r.events.map((e) => {
        const x = [...(e as unknown[])];
        x[3] = String(x[3]).slice(0, 8);
        return x;
      }),
    });
    for (const options of [['-R', '-l'], ['-R', '-l', '--ts-diff'], ['-R', '-l', '-t']]) {
      const fromText = await ingested(report(options));
      expect(fromText.events.length, options.join(' ')).toBe(4_000);
      expect(cut(fromText), options.join(' ')).toEqual(cut(fromDat));
    }
  });

  it('a report of two inputs (-i a -i b) gives the events of both, each with its comm', async () => {
    const other = join(dir, 'other.dat');
    writeFileSync(other, kvmTrace(1_000, 5250));
    const out = join(dir, 'two.txt');
    writeFileSync(out, execFileSync(TRACE_CMD!, ['report', '-N', '-i', dat, '-i', other], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }));
    const key = (e: unknown) => JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString().padStart(24, '0') : v));
    const byTime = (a: unknown, b: unknown) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    const both = [...(await ingested(dat)).events, ...(await ingested(other)).events].sort(byTime);
    const diagnostics: string[] = [];
    const fromText = await ingested(out, diagnostics);
    // As in every report: no values of kvm_wfx_arm64 (see above).
    const noWfx = (events: unknown[]) => events.map((e) => ((e as unknown[])[4] === 'kvm_wfx_arm64' ? (e as unknown[]).slice(0, 5) : e));
    expect(noWfx([...fromText.events].sort(byTime))).toEqual(noWfx(both));
    expect(diagnostics.find((d) => d.startsWith('ftrace-inputs-merged'))).toMatch(/kvm\.dat, other\.dat/);
    // Each input's header (`  kvm.dat: cpus=4`) is a header, not a line left unread.
    expect(diagnostics.filter((d) => d.startsWith('ftrace-line-unparsed'))).toEqual([]);
  });
});
