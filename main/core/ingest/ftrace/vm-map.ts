// Which VM (the VMM process) and which vCPU each thread of a host trace belongs to.
//
// KVM's events carry no VM id on arm64 (trace_arm.h: kvm_exit/kvm_entry record only the EC and the PC), so
// the VM is the VMM process: the thread's TGID when the trace has it (record-tgid), else inferred from the
// thread names the VMMs give their threads (table below), a vCPU thread belonging to the closest VMM main
// thread whose pid is below its tid (threads are created after their process, pids grow).

import type { VmProcess } from '../fault-record';

interface VmmNaming {
  readonly vmm: string;
  /** The main thread's comm (truncated to 15 characters by the kernel, TASK_COMM_LEN 16). */
  readonly main: RegExp;
  /** A vCPU thread's comm; group 1 is the vCPU index. */
  readonly vcpu: RegExp;
  readonly source: string;
}

/** Thread names by VMM. */
export const VMM_NAMING: readonly VmmNaming[] = [
  {
    vmm: 'qemu',
    // Also as function_graph's proc column prints them, cut to 7 characters (trace_functions_graph.c
    // print_graph_proc): `qemu-sy`, `qemu-kv`, `CPU 0/K`, `CPU 12/`; and as trace-cmd report -l does, to 8
    // ("%8.8s"): `qemu-sys`, `CPU 0/KV`, `CPU 12/K`, `CPU 123/`.
    main: /^qemu(?:-system-|-kvm|$|-sys?$|-kv$)/,
    vcpu: /^CPU (\d+)\/(?:KVM|KV|K|)$/,
    source: 'QEMU accel/kvm/kvm-accel-ops.c kvm_start_vcpu_thread(): snprintf(thread_name, "CPU %d/KVM", cpu_index)',
  },
  {
    vmm: 'kvmtool',
    main: /^lkvm$/,
    vcpu: /^kvm-vcpu-(\d+)$/,
    source: 'kvmtool builtin-run.c kvm_cpu_thread(): sprintf(name, "kvm-vcpu-%lu", cpu_id)',
  },
];

export interface ThreadFacts {
  readonly tid: number;
  readonly comm: string;
  readonly tgid: number | null;
  /** The thread ran a vCPU: it has kvm_exit/kvm_entry events. */
  readonly runsVcpu: boolean;
}

export interface VmAssignment {
  readonly vms: readonly VmProcess[];
  /** tid -> VM pid, for the threads that belong to a VM. */
  readonly vmOf: ReadonlyMap<number, number>;
}

/** The vCPU index a thread name carries (`CPU 3/KVM` -> 3), or null. */
export function vcpuIndexOf(comm: string): number | null {
  for (const n of VMM_NAMING) {
    const m = n.vcpu.exec(comm);
    if (m !== null) return Number(m[1]);
  }
  return null;
}

function isVmmMain(comm: string): boolean {
  return VMM_NAMING.some((n) => n.main.test(comm));
}

/** Whether a thread's comm is one a VMM gives its main or vCPU threads (VMM_NAMING). */
export function isVmmThread(comm: string): boolean {
  return VMM_NAMING.some((n) => n.main.test(comm) || n.vcpu.test(comm));
}

/** Groups vCPU threads into VMs. */
export function assignVms(threads: Iterable<ThreadFacts>): VmAssignment {
  const all = [...threads];
  const mains = all.filter((t) => isVmmMain(t.comm)).sort((a, b) => a.tid - b.tid);
  const vmOf = new Map<number, number>();
  const vcpus = new Map<number, { tid: number; index: number | null }[]>();
  for (const t of all) {
    const index = vcpuIndexOf(t.comm);
    if (!t.runsVcpu && index === null) continue;
    const vm = t.tgid ?? closestBelow(mains, t.tid);
    if (vm === null) continue;
    vmOf.set(t.tid, vm);
    const list = vcpus.get(vm) ?? [];
    list.push({ tid: t.tid, index });
    vcpus.set(vm, list);
  }
  // The VM's other threads (main loop, I/O threads): by TGID when known, the main thread by its pid.
  for (const t of all) if (t.tgid !== null && vcpus.has(t.tgid) && !vmOf.has(t.tid)) vmOf.set(t.tid, t.tgid);
  for (const m of mains) if (vcpus.has(m.tid)) vmOf.set(m.tid, m.tid);
  const byTid = new Map(all.map((t) => [t.tid, t]));
  const vms: VmProcess[] = [...vcpus.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([pid, list]) => ({
      pid,
      name: byTid.get(pid)?.comm ?? null,
      vcpus: list.sort((a, b) => (a.index ?? a.tid) - (b.index ?? b.tid) || a.tid - b.tid),
    }));
  return { vms, vmOf };
}

function closestBelow(mains: readonly ThreadFacts[], tid: number): number | null {
  let best: number | null = null;
  for (const m of mains) if (m.tid <= tid) best = m.tid;
  return best;
}
