// The trace assembler: every event of a trace, from the text tokenizer or the trace.dat producer, goes through
// here once. It interns names, parses the KVM payloads, pairs exits with entries, groups faults, counts the
// timeline tracks and packs the events into storage chunks, without an object per event on the hot path.
// A trace.dat's events come packed already (tracedat/producer.ts, which may run on another thread), with
// their KVM payloads read. This file dispatches each event by its name's role and keeps the per-event
// state; the exit pairs are exits.ts, the fault groups faults.ts, and what finish() returns
// trace-summary.ts.

import { formatMicros } from './timestamp';
import { ChunkBuilder, encodedChunk, type EncodedChunk } from './chunk';
import { CommIds } from './comm-ids';
import type { ExitKind, FirstFault, PackedBatch } from '../tracedat/producer';
import { parseKvmEvent, type Fields } from './kvm-events';
import { assertNever } from '../../result';
import { faultRecordOf, FaultGrouper, groupKey, taskAndCpu } from './faults';
import { ExitPairer, parseExitText } from './exits';
import { TimelineAccumulator } from './timeline';
import { isVmmThread } from './vm-map';
import { summarizeThreads, type AssembledTrace, type OutOfOrder } from './trace-summary';
import type { FaultKind, FaultRecord } from '../fault-record';
import type { EventLine } from './line';

const EXAMPLES = 10;
/** Slots of the per-PID caches (a power of two). */
const PID_SLOTS = 64;
/** Distinct fault texts whose group key is remembered. */
const FAULT_TEXTS_KEPT = 1024;

interface ThreadState {
  comm: string;
  tgid: number | null;
  runsVcpu: boolean;
  track: number;
  /** The last comm found not to be a VMM's (isVmmThread): a thread's other events skip the test. */
  notVmm: string | null;
}

/** What an event name means to the summaries. */
const enum Role {
  Other,
  /** Any other KVM/pKVM event: its thread gets a track. */
  Kvm,
  Exit,
  Entry,
  HypEnter,
  HypExit,
  GuestFault,
  Nisv,
}

function faultKindOfRole(role: Role): FaultKind {
  return role === Role.GuestFault ? 'kvm_guest_fault' : 'kvm_nisv';
}

function roleOf(name: string): Role {
  switch (name) {
    case 'kvm_exit':
      return Role.Exit;
    case 'kvm_entry':
      return Role.Entry;
    case 'hyp_enter':
      return Role.HypEnter;
    case 'hyp_exit':
      return Role.HypExit;
    case 'kvm_guest_fault':
      return Role.GuestFault;
    case 'kvm_mmio_nisv':
      return Role.Nisv;
    default:
      return name.startsWith('kvm_') || name === 'host_mem_abort' ? Role.Kvm : Role.Other;
  }
}

/** Whether addText reads an event's arguments (the payloads the summaries parse at ingest). */
export function readsArgs(name: string): boolean {
  const r = roleOf(name);
  return r === Role.Exit || r === Role.GuestFault || r === Role.Nisv;
}

export class TraceAssembler {
  private readonly chunks: ChunkBuilder;
  private readonly comms: string[] = [];
  private readonly commIds = new CommIds((comm) => this.comms.push(comm));
  private readonly nameIds = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly nameCounts: number[] = [];
  private readonly nameTracks: number[] = [];
  private readonly roles: Role[] = [];
  private readonly exitScratch = { ret: '', ec: 0, ecName: '' };
  private readonly cpuTracks: number[] = [];
  private readonly faultTracks = new Map<FaultKind, number>();
  private readonly timeline = new TimelineAccumulator();
  private readonly threads = new Map<number, ThreadState>();
  // Per event, a thread's state and its comm's id, from a direct-mapped cache by PID before the maps: the
  // events of a few threads interleave (a one-entry cache missed on most of them). NaN: an empty slot.
  private readonly threadPids = new Float64Array(PID_SLOTS).fill(Number.NaN);
  private readonly threadSlots: (ThreadState | null)[] = new Array<ThreadState | null>(PID_SLOTS).fill(null);
  private readonly exits = new ExitPairer();
  private readonly hyp = new ExitPairer();
  /**
   * The exit pairs' clock: times less the first event's, so that the time between an exit and its entry
   * is exact beyond 2^53 ns (104 days of uptime), where a time as a double is off by up to its spacing.
   */
  private pairEpoch = Number.NaN;
  private pairEpochBig = 0n;
  /**
   * The trace's times are counts of a clock that does not count ns (its importer says so: from the file's
   * clock, or from the text's times). Its fault records write their time as such a count.
   */
  counterClock = false;
  private readonly faults = new FaultGrouper();
  /** The fault events printed without times, grouped apart (their groups have no time range). */
  private readonly untimedFaults = new FaultGrouper();
  private untimed = 0;
  private count = 0;
  private lastTs = -Infinity;
  private minTs = Infinity;
  private maxTs = -Infinity;
  private readonly ooo = { count: 0, examples: [] as OutOfOrder[] };
  private readonly unparsed = { count: 0, examples: [] as { line: number; name: string }[] };
  /** Group keys of fault texts already parsed, per fault event (bounded: cleared at FAULT_TEXTS_KEPT). */
  private readonly guestFaultKeys = new Map<string, string>();
  private readonly nisvKeys = new Map<string, string>();

  /** Binary traces: the exit kinds and first faults the producer's batches gave, by their ids. */
  private readonly exitKinds: ExitKind[] = [];
  private readonly firstFaults: FirstFault[] = [];

  constructor(
    private readonly file: string,
    binary: boolean,
    private readonly onChunk: (c: EncodedChunk) => void,
    /** Text traces: the input text between two offsets (FtraceTokenizer.textBetween), or its UTF-8 bytes. */
    textOf?: (start: number, end: number) => string | Uint8Array,
  ) {
    this.chunks = new ChunkBuilder(binary, onChunk, textOf);
  }

  /**
   * One event of a text trace, read from the input text [start, end): only the payloads the summaries need
   * are parsed here (the arguments are cut from the line for those only), the rest on read.
   */
  addText(e: EventLine, line: number, endLine: number, start: number, end: number): void {
    const nameId = this.intern(e.name);
    const commId = this.commIds.idOf(e.pid, e.comm);
    const role = this.roles[nameId]!;
    const ts = e.tsNs;
    // A function_graph line may not name its task (pid -1, graph-line.ts): its exits pair per CPU then.
    const tid = e.pid >= 0 ? e.pid : -2 - e.cpu;
    let host = 0;
    if (role === Role.Exit) {
      const pt = this.pairTime(ts, e.tsBig);
      if (parseExitText(e.args, this.exitScratch)) this.exits.exit(tid, pt, this.exitScratch.ret, this.exitScratch.ec, this.exitScratch.ecName);
      else this.rawExit(e, tid, pt, line);
    } else if (role === Role.GuestFault || role === Role.Nisv) this.textFault(role, e, line, endLine);
    else if (role !== Role.Other) host = this.transition(role, this.pairTime(ts, e.tsBig), e.cpu, tid);
    this.common(ts, e.cpu, e.pid, e.tgid, e.comm, nameId, role, line, host);
    this.chunks.addText(ts, e.tsBig, e.cpu, e.pid, e.tgid ?? -1, commId, nameId, line, start, end);
  }

  /**
   * A chunk of a binary trace's events, as the trace.dat producer packed them (tracedat/producer.ts): the
   * names, comms, exit kinds and fault keys it first uses, then its events, read from the chunk's columns;
   * the chunk itself goes on to storage.
   */
  addPacked(b: PackedBatch): void {
    for (const name of b.names) this.intern(name);
    for (const comm of b.comms) this.commIds.id(comm);
    for (const x of b.exits) this.exitKinds.push(x);
    for (const f of b.faults) this.firstFaults.push(f);
    const c = b.chunk;
    const { ts, ints, stride } = c.unpacked;
    // Times as numbers for the summaries (exact below 2^53 ns); a fault's record keeps its exact time.
    const base = typeof c.baseTs === 'bigint' ? Number(c.baseTs) : c.baseTs;
    // The exit pairs' times (pairTime): the chunk's base less the epoch, exact, then each offset.
    if (this.pairEpoch !== this.pairEpoch) this.setPairEpoch(base);
    const pairBase = typeof c.baseTs === 'bigint' ? Number(c.baseTs - this.pairEpochBig) : c.baseTs - this.pairEpoch;
    const kvm = b.kvm;
    for (let i = 0; i < c.count; i++) {
      const t = base + ts[i]!;
      const cpu = ints[i]!;
      const pid = ints[stride + i]!;
      const comm = this.comms[ints[3 * stride + i]!]!;
      const nameId = ints[4 * stride + i]!;
      const index = ints[5 * stride + i]!;
      const code = kvm[i]!;
      const role = this.roles[nameId]!;
      let host = 0;
      if (role === Role.Exit) {
        if (code >= 0) {
          const x = this.exitKinds[code]!;
          this.exits.exit(pid, pairBase + ts[i]!, x.ret, x.ec, x.ecName);
        } else this.fieldsUnparsed(index, this.names[nameId]!);
      } else if (role === Role.GuestFault || role === Role.Nisv) {
        if (code < 0) this.fieldsUnparsed(index, this.names[nameId]!);
        else {
          const f = this.firstFaults[code]!;
          // Beyond 2^53 ns the double may be off by a few ns: the exact time is the chunk's base and offset.
          const exact = t >= 2 ** 53 && typeof c.baseTs === 'bigint' ? c.baseTs + BigInt(ts[i]!) : null;
          if (!this.faults.count(f.key, pid, t, index, exact)) {
            const first = typeof c.baseTs === 'bigint' ? c.baseTs + BigInt(ts[i]!) : null;
            this.faults.add(f.key, pid, t, index, () => this.faultRecord(faultKindOfRole(role), this.names[nameId]!, f.fields, t, first, cpu, pid, comm, index, index, f.text), exact);
          }
        }
      } else if (role !== Role.Other) host = this.transition(role, pairBase + ts[i]!, cpu, pid);
      this.common(t, cpu, pid, null, comm, nameId, role, index, host);
    }
    this.onChunk(encodedChunk({ seq: c.seq, count: c.count, baseTs: c.baseTs, minTs: c.minTs, maxTs: c.maxTs, unpacked: c.unpacked, args: null, textEnd: 0, raw: c.raw, nameSet: c.nameSet }));
  }

  /** An event's time on the exit pairs' clock (pairEpoch): `ts`, or `tsBig` where given (exact beyond 2^53). */
  private pairTime(ts: number, tsBig: bigint | null): number {
    if (this.pairEpoch !== this.pairEpoch) this.setPairEpoch(ts);
    return tsBig === null ? ts - this.pairEpoch : Number(tsBig - this.pairEpochBig);
  }

  private setPairEpoch(ts: number): void {
    // A double's value is an integer from 2^53 on, and exactly a bigint: both forms name the same instant.
    this.pairEpoch = Math.floor(ts);
    this.pairEpochBig = BigInt(this.pairEpoch);
  }

  /** A kvm_exit printed otherwise than the kernel's text: raw (`trace-cmd report -R`), or unreadable. */
  private rawExit(e: EventLine, tid: number, ts: number, line: number): void {
    const f = parseKvmEvent(e.name, e.args);
    if (f !== null && f !== undefined && typeof f.ret === 'string' && typeof f.esr_ec === 'number') {
      this.exits.exit(tid, ts, f.ret, f.esr_ec, typeof f.esr_ec_name === 'string' ? f.esr_ec_name : '');
    } else this.fieldsUnparsed(line, e.name);
  }

  /** Entries and hypervisor transitions; returns the host time an entry closes. */
  private transition(role: Role, ts: number, cpu: number, pid: number): number {
    switch (role) {
      case Role.Entry:
        return this.exits.entry(pid, ts);
      case Role.HypEnter:
        this.hyp.exit(cpu, ts, 'hyp', 0, '');
        return 0;
      case Role.HypExit:
        this.hyp.entry(cpu, ts);
        return 0;
      case Role.Kvm:
      case Role.Exit:
      case Role.Other:
      case Role.GuestFault:
      case Role.Nisv:
        return 0;
      default:
        return assertNever(role, 'event role');
    }
  }

  /**
   * An event printed without a time (a function_graph trace without funcgraph-abstime): it cannot take its
   * place in the stored trace, its timeline or its exit pairs; it is counted, and a fault event among them
   * is grouped with the others of its kind, ESR, IPA page and PC, in a group without a time range.
   */
  addUntimed(e: EventLine, line: number): void {
    this.untimed++;
    const role = roleOf(e.name);
    if (role !== Role.GuestFault && role !== Role.Nisv) return;
    const parsed = this.parseFault(role, e, line);
    if (parsed === null) return;
    const { f, kind, key } = parsed;
    const { name, cpu, pid, comm, args } = e;
    if (this.untimedFaults.count(key, pid, 0, line)) return;
    const text = `${taskAndCpu(comm, pid, cpu)} ${name}: ${args}`;
    this.untimedFaults.add(key, pid, 0, line, () => faultRecordOf(kind, name, f, { file: this.file, line, endLine: line, tsNs: null, cpu, pid, comm, text }));
  }

  /** A fault event's payload and its group's key; null (counted as unparsed) where the payload does not parse. */
  private parseFault(role: Role.GuestFault | Role.Nisv, e: EventLine, line: number): { f: Fields; kind: FaultKind; key: string } | null {
    const f = parseKvmEvent(e.name, e.args);
    if (f === null || f === undefined) {
      this.fieldsUnparsed(line, e.name);
      return null;
    }
    const kind = faultKindOfRole(role);
    return { f, kind, key: groupKey(kind, f) };
  }

  /** A fault event of a text trace: its payload parsed for the grouping key. */
  private textFault(role: Role.GuestFault | Role.Nisv, e: EventLine, line: number, endLine: number): void {
    const args = e.args;
    // A fault storm repeats the same text: its group is found from the text, without parsing it again.
    const keys = role === Role.GuestFault ? this.guestFaultKeys : this.nisvKeys;
    const known = keys.get(args);
    if (known !== undefined && this.faults.count(known, e.pid, e.tsNs, line, e.tsBig)) return;
    const parsed = this.parseFault(role, e, line);
    if (parsed === null) return;
    const { f, kind, key } = parsed;
    if (keys.size >= FAULT_TEXTS_KEPT) keys.clear();
    keys.set(args, key);
    const { name, tsNs, tsBig, cpu, pid, comm } = e;
    if (!this.faults.count(key, pid, tsNs, line, tsBig)) this.faults.add(key, pid, tsNs, line, () => this.faultRecord(kind, name, f, tsNs, tsBig, cpu, pid, comm, line, endLine, args), tsBig);
  }

  /** The bookkeeping every event shares: counts, order, timeline, threads. */
  private common(ts: number, cpu: number, pid: number, tgid: number | null, comm: string, nameId: number, role: Role, line: number, host: number): void {
    this.count++;
    this.nameCounts[nameId]!++;
    if (ts < this.lastTs) this.outOfOrder(line, ts);
    else this.lastTs = ts;
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
    const tl = this.timeline;
    const b = tl.bucket(ts);
    tl.addAt(this.cpuTrack(cpu), b);
    tl.addAt(this.nameTracks[nameId]!, b);
    const faultTrack = role === Role.GuestFault || role === Role.Nisv ? this.faultTrack(role) : -1;
    if (faultTrack !== -1) tl.addAt(faultTrack, b);
    // A task the trace does not name (pid -1): no thread to count it for.
    if (pid < 0) return;
    const slot = pid & (PID_SLOTS - 1);
    let th = this.threadPids[slot] === pid ? this.threadSlots[slot]! : this.threads.get(pid);
    if (th === undefined) {
      th = { comm, tgid, runsVcpu: false, track: -1, notVmm: null };
      this.threads.set(pid, th);
    } else th.comm = comm;
    this.threadPids[slot] = pid;
    this.threadSlots[slot] = th;
    if (tgid !== null) th.tgid = tgid;
    if (role === Role.Exit || role === Role.Entry) th.runsVcpu = true;
    if (th.track === -1) {
      if (role !== Role.Other || (th.notVmm !== comm && isVmmThread(comm))) th.track = tl.track('thread', String(pid));
      else th.notVmm = comm;
    }
    if (th.track !== -1) tl.addAt(th.track, b, host);
  }

  private faultRecord(kind: FaultKind, name: string, f: Fields, ts: number, tsBig: bigint | null, cpu: number, pid: number, comm: string, line: number, endLine: number, args: string): FaultRecord {
    const tsNs = tsBig ?? BigInt(ts);
    return faultRecordOf(kind, name, f, {
      file: this.file,
      line,
      endLine,
      tsNs,
      cpu,
      pid,
      comm,
      text: `${taskAndCpu(comm, pid, cpu)} ${this.counterClock ? tsNs : formatMicros(tsNs).trimStart()}: ${name}: ${args}`,
    });
  }

  private faultTrack(role: Role): number {
    const kind: FaultKind = role === Role.GuestFault ? 'kvm_guest_fault' : 'kvm_nisv';
    let t = this.faultTracks.get(kind);
    if (t === undefined) {
      t = this.timeline.track('fault', kind);
      this.faultTracks.set(kind, t);
    }
    return t;
  }

  private lastName = '';
  private lastNameId = -1;

  private intern(name: string): number {
    if (name === this.lastName) return this.lastNameId;
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.nameIds.set(name, id);
      this.names.push(name);
      this.nameCounts.push(0);
      this.nameTracks.push(this.timeline.track('event', name));
      this.roles.push(roleOf(name));
    }
    this.lastName = name;
    this.lastNameId = id;
    return id;
  }

  private cpuTrack(cpu: number): number {
    let t = this.cpuTracks[cpu];
    if (t === undefined) {
      t = this.timeline.track('cpu', String(cpu));
      this.cpuTracks[cpu] = t;
    }
    return t;
  }

  private outOfOrder(line: number, ts: number): void {
    this.ooo.count++;
    if (this.ooo.examples.length < EXAMPLES) this.ooo.examples.push({ line, tsNs: ts, previousNs: this.lastTs });
  }

  private fieldsUnparsed(line: number, name: string): void {
    this.unparsed.count++;
    if (this.unparsed.examples.length < EXAMPLES) this.unparsed.examples.push({ line, name });
  }

  /** Flushes the last chunk and returns everything known about the trace. */
  finish(): AssembledTrace {
    this.chunks.flush();
    const { tracks, vms, threads } = summarizeThreads(this.threads, this.timeline.finish());
    const ex = this.exits.finish();
    return {
      events: this.count,
      comms: this.comms,
      names: this.names,
      eventCounts: new Map(this.names.map((n, i) => [n, this.nameCounts[i]!])),
      tracks,
      faults: [...this.faults.all, ...this.untimedFaults.all.map((g) => ({ ...g, firstNs: null, lastNs: null }))],
      vms,
      threads,
      exits: ex.stats,
      unpairedExits: ex.unpaired,
      hyp: this.hyp.finish().stats,
      outOfOrder: this.ooo,
      fieldsUnparsed: this.unparsed,
      minTs: this.minTs,
      maxTs: this.maxTs,
      untimed: this.untimed,
    };
  }
}
