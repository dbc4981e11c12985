// Fault records from the two KVM events that carry a full ESR_EL2 (DOMAIN.md §5): kvm_guest_fault
// (arch/arm64/kvm/mmu.c kvm_handle_guest_abort: ipa, hsr, hxfar, pc) and kvm_mmio_nisv (io_mem_abort when the
// syndrome has no valid ISV: ipa, esr, far, pc). A guest that hammers one MMIO register produces hundreds of
// thousands of identical events; they are grouped by (kind, ESR, IPA page, PC) into one record with a count,
// a time range and the lines of the first examples.

import { parseHex64 } from '../../hex';
import type { FaultKind, FaultRecord } from '../fault-record';
import type { Fields } from './kvm-events';

export const EXAMPLES_KEPT = 5;

export interface FaultEventContext {
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  /** null for an event printed without a time (function_graph without funcgraph-abstime). */
  readonly tsNs: bigint | null;
  /** -1: not printed (function_graph without its CPU column, or before its first task switch). */
  readonly cpu: number;
  readonly pid: number;
  readonly comm: string;
  /** The event as one normalized line: `comm-pid [cpu] ts: name: args`. */
  readonly text: string;
}

export interface FaultGroup {
  readonly record: FaultRecord;
  count: number;
  /** null for events printed without times. */
  firstNs: bigint | null;
  lastNs: bigint | null;
  readonly exampleLines: number[];
  readonly threads: Set<number>;
}

/** The fault kind of an event name, or null for events that are not faults. */
export function faultKindOf(name: string): FaultKind | null {
  if (name === 'kvm_guest_fault') return 'kvm_guest_fault';
  if (name === 'kvm_mmio_nisv') return 'kvm_nisv';
  return null;
}

function hex(f: Fields, key: string): bigint | null {
  const v = f[key];
  if (typeof v !== 'string') return null;
  const r = parseHex64(v);
  return r.ok ? r.value : null;
}

/** The fault record of one kvm_guest_fault / kvm_mmio_nisv event. */
export function faultRecordOf(kind: FaultKind, name: string, f: Fields, ctx: FaultEventContext): FaultRecord {
  return {
    kind,
    esr: hex(f, kind === 'kvm_guest_fault' ? 'hsr' : 'esr'),
    el: 2,
    far: hex(f, kind === 'kvm_guest_fault' ? 'hxfar' : 'far'),
    ipa: hex(f, 'ipa'),
    pc: hex(f, 'vcpu_pc'),
    cpu: ctx.cpu < 0 ? null : ctx.cpu,
    pid: ctx.pid < 0 ? null : ctx.pid,
    comm: ctx.comm,
    timeNs: ctx.tsNs,
    kernel: null,
    source: { file: ctx.file, line: ctx.line, endLine: ctx.endLine },
    text: ctx.text,
    extra: { event: name },
  };
}

/** `comm-pid [cpu]` as ftrace prints them; a task or CPU the trace does not name (-1) is left out. */
export function taskAndCpu(comm: string, pid: number, cpu: number): string {
  return `${pid < 0 ? comm : `${comm}-${pid}`}${cpu < 0 ? '' : ` [${String(cpu).padStart(3, '0')}]`}`;
}

/** The grouping key of a fault event's fields: kind, ESR, IPA page (IPA >> 12), PC. */
export function groupKey(kind: FaultKind, f: Fields): string {
  const esr = f[kind === 'kvm_guest_fault' ? 'hsr' : 'esr'];
  const ipa = typeof f.ipa === 'string' ? f.ipa : '';
  // Canonical hex: the page is the IPA without its last three hex digits.
  const page = ipa.length > 5 ? ipa.slice(0, -3) : '0x0';
  return `${kind}|${String(esr)}|${page}|${String(f.vcpu_pc)}`;
}

interface Group {
  readonly record: FaultRecord;
  count: number;
  /** Times as numbers while grouping (exact below 2^53 ns); the record keeps the exact first time. */
  first: number;
  last: number;
  /** The exact first and last times where the events gave them (beyond 2^53 ns), else null. */
  firstExact: bigint | null;
  lastExact: bigint | null;
  readonly exampleLines: number[];
  readonly threads: Set<number>;
}

/**
 * Groups identical fault events: same kind, ESR, IPA page and PC (the caller computes the key). The record
 * is built once per group, from the group's first event; the others only count.
 */
export class FaultGrouper {
  private readonly groups = new Map<string, Group>();
  private lastKey = '';
  private lastGroup: Group | null = null;

  /**
   * Counts an event in its group if the group exists (true); false if it does not, and then add() creates
   * it: callers check first, so that the record's builder is made only for a new group. `exact` is the
   * event's time as a bigint where the number may not hold it (from 2^53 ns on), else null: such times
   * are compared exactly, as two of them may round to one double.
   */
  count(key: string, tid: number, tsNs: number, line: number, exact: bigint | null = null): boolean {
    const g = key === this.lastKey ? this.lastGroup : this.groups.get(key);
    if (g === undefined || g === null) return false;
    this.lastKey = key;
    this.lastGroup = g;
    g.count++;
    if (exact !== null) {
      // Exact against exact: two doubles of such times may even be in the wrong order (each rounded).
      if (g.firstExact !== null ? exact < g.firstExact : tsNs < g.first) [g.first, g.firstExact] = [tsNs, exact];
      if (g.lastExact !== null ? exact > g.lastExact : tsNs > g.last) [g.last, g.lastExact] = [tsNs, exact];
    } else {
      if (tsNs < g.first) [g.first, g.firstExact] = [tsNs, null];
      if (tsNs > g.last) [g.last, g.lastExact] = [tsNs, null];
    }
    if (g.exampleLines.length < EXAMPLES_KEPT) g.exampleLines.push(line);
    g.threads.add(tid);
    return true;
  }

  add(key: string, tid: number, tsNs: number, line: number, makeRecord: () => FaultRecord, exact: bigint | null = null): void {
    if (this.count(key, tid, tsNs, line, exact)) return;
    const group: Group = { record: makeRecord(), count: 1, first: tsNs, last: tsNs, firstExact: exact, lastExact: exact, exampleLines: [line], threads: new Set([tid]) };
    this.groups.set(key, group);
    this.lastKey = key;
    this.lastGroup = group;
  }

  /** The groups in order of first appearance. */
  get all(): FaultGroup[] {
    return [...this.groups.values()].map((g) => ({
      record: g.record,
      count: g.count,
      firstNs: g.firstExact ?? BigInt(g.first),
      lastNs: g.lastExact ?? BigInt(g.last),
      exampleLines: g.exampleLines,
      threads: g.threads,
    }));
  }
}
