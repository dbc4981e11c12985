// What a trace assembler found once its trace is read (assembler.ts finish): the summary's types, and the
// timeline tracks, VMs and thread rows built from the threads it saw and its timeline's series (once per
// trace, not per event).

import { sumLevels, type LevelSeries } from './timeline';
import { assignVms, vcpuIndexOf } from './vm-map';
import type { ExitStats } from './exits';
import type { FaultGroup } from './faults';
import type { VmProcess } from '../fault-record';

export interface ThreadRow {
  readonly tid: number;
  readonly comm: string;
  readonly tgid: number | null;
  readonly vmPid: number | null;
  readonly vcpuIndex: number | null;
  readonly isVcpu: boolean;
}

export interface TrackSeries {
  readonly kind: 'cpu' | 'vm' | 'vcpu' | 'event' | 'fault';
  readonly key: string;
  readonly label: string;
  readonly levels: readonly LevelSeries[];
}

export interface OutOfOrder {
  readonly line: number;
  readonly tsNs: number;
  readonly previousNs: number;
}

export interface AssembledTrace {
  readonly events: number;
  readonly comms: readonly string[];
  readonly names: readonly string[];
  readonly eventCounts: ReadonlyMap<string, number>;
  readonly tracks: readonly TrackSeries[];
  readonly faults: readonly FaultGroup[];
  readonly vms: readonly VmProcess[];
  readonly threads: readonly ThreadRow[];
  readonly exits: readonly ExitStats[];
  readonly unpairedExits: number;
  readonly hyp: readonly ExitStats[];
  readonly outOfOrder: { readonly count: number; readonly examples: readonly OutOfOrder[] };
  /** Known events whose payload did not parse (kept with their raw text). */
  readonly fieldsUnparsed: { readonly count: number; readonly examples: readonly { line: number; name: string }[] };
  readonly minTs: number;
  readonly maxTs: number;
  /** Events printed without times (function_graph without funcgraph-abstime): not stored, their faults grouped. */
  readonly untimed: number;
}

/** A thread as the assembler leaves it: its last comm, its TGID if the trace gave one, whether it ran a vCPU. */
interface SeenThread {
  readonly comm: string;
  readonly tgid: number | null;
  readonly runsVcpu: boolean;
}

/**
 * The tracks of a finished trace (CPUs, event names, fault kinds, vCPU threads, and each VM's threads
 * summed), its VMs (vm-map.ts) and its thread rows, from its threads by TID and the timeline's series by id.
 */
export function summarizeThreads(
  threads: ReadonlyMap<number, SeenThread>,
  series: ReadonlyMap<string, LevelSeries[]>,
): { tracks: TrackSeries[]; vms: readonly VmProcess[]; threads: ThreadRow[] } {
  const facts = [...threads.entries()].map(([tid, t]) => ({ tid, comm: t.comm, tgid: t.tgid, runsVcpu: t.runsVcpu }));
  const { vms, vmOf } = assignVms(facts);
  // A vCPU thread is one: its VM may stay unknown (no TGID, no VMM main thread in the trace).
  const vcpuTids = new Set(facts.filter((t) => t.runsVcpu || vcpuIndexOf(t.comm) !== null).map((t) => t.tid));
  const tracks: TrackSeries[] = [];
  const byVm = new Map<number, LevelSeries[][]>();
  for (const [id, levels] of series) {
    const colon = id.indexOf(':');
    const kind = id.slice(0, colon);
    const key = id.slice(colon + 1);
    if (kind === 'thread') {
      const tid = Number(key);
      const vm = vmOf.get(tid);
      if (vm !== undefined) (byVm.get(vm) ?? byVm.set(vm, []).get(vm)!).push(levels);
      if (vcpuTids.has(tid)) tracks.push({ kind: 'vcpu', key, label: threads.get(tid)?.comm ?? key, levels });
    } else if (kind === 'cpu' || kind === 'event' || kind === 'fault') {
      tracks.push({ kind, key, label: kind === 'cpu' ? `CPU ${key === '-1' ? '?' : key}` : key, levels });
    }
  }
  for (const vm of vms) {
    const parts = byVm.get(vm.pid);
    if (parts !== undefined) tracks.push({ kind: 'vm', key: String(vm.pid), label: `${vm.name ?? 'VM'} (${vm.pid})`, levels: sumLevels(parts) });
  }
  const rows: ThreadRow[] = facts.map((t) => ({
    tid: t.tid,
    comm: t.comm,
    tgid: t.tgid,
    vmPid: vmOf.get(t.tid) ?? null,
    vcpuIndex: vcpuIndexOf(t.comm),
    isVcpu: vcpuTids.has(t.tid),
  }));
  return { tracks, vms, threads: rows };
}
