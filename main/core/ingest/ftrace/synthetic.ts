// A deterministic synthetic KVM host trace, for benchmarks and scale tests (never for expected values: those
// come from real logs). It follows the kernel's own formats (kvm-events.ts has the sources) and the shape of
// arm64 KVM's run loop: kvm_entry, guest runs, kvm_exit, the handler's events (kvm_guest_fault + kvm_mmio for
// data aborts, kvm_handle_sys_reg + kvm_sys_access for sysreg traps, kvm_wfx_arm64 for WFI, kvm_hvc_arm64),
// on QEMU vCPU threads `CPU n/KVM` of one VM, with host noise (IRQs, sched_switch) and, for a while, a
// guest stuck re-faulting on one MMIO register without a valid syndrome (kvm_mmio_nisv).

export interface SyntheticEvent {
  readonly tsNs: number;
  readonly cpu: number;
  readonly pid: number;
  readonly tgid: number;
  readonly comm: string;
  readonly name: string;
  readonly args: string;
}

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


export const SYNTH_VM_PID = 4242;
export const SYNTH_VCPUS = 8;

/** One run-loop cycle of vCPU `v`: kvm_entry, kvm_exit and the exit handler's events. */
function cycle(r: () => number, v: number, clock: number[], stuck: boolean): SyntheticEvent[] {
  const pid = SYNTH_VM_PID + 8 + v;
  const comm = `CPU ${v}/KVM`;
  // A guest kernel PC (64-bit: built as text, a double cannot hold it).
  const pc = 'ffff8000' + (0x10000000 + Math.floor(r() * 0x100000) * 4).toString(16).padStart(8, '0');
  const out: SyntheticEvent[] = [];
  const emit = (name: string, args: string): void => {
    clock[v]! += 200 + Math.floor(r() * 1800);
    out.push({ tsNs: clock[v]!, cpu: v, pid, tgid: SYNTH_VM_PID, comm, name, args });
  };
  emit('kvm_entry', `PC: 0x${pc}`);
  const x = r();
  if (stuck) {
    emit('kvm_exit', 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073cd5c');
    emit('kvm_mmio_nisv', 'ipa 0x0000000010001008, esr 0x0000000092000061, far 0xffff800012e01008, pc 0xffff80001073cd5c');
  } else if (x < 0.4) {
    // A driver's MMIO accessors: a few PCs, a few device pages.
    const reg = Math.floor(r() * 16);
    const ipa = 0x9000000 + reg * 0x1000;
    const mmioPc = 'ffff8000107' + (0x3c000 + reg * 0x40).toString(16).padStart(5, '0');
    const write = r() < 0.5;
    emit('kvm_exit', `TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x${mmioPc}`);
    emit('kvm_guest_fault', `ipa 0x${ipa.toString(16)}, hsr 0x${write ? '93c08006' : '93808006'}, hxfar 0xffff8000${ipa.toString(16).padStart(8, '0')}, pc 0x${mmioPc}`);
    emit('kvm_mmio', `mmio ${write ? 'write' : 'read'} len 4 gpa 0x${ipa.toString(16)} val 0x${Math.floor(r() * 256).toString(16)}`);
  } else if (x < 0.6) {
    emit('kvm_exit', `TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x${pc}`);
    emit('kvm_handle_sys_reg', 'HSR 0x62300000');
    emit('kvm_sys_access', `PC: ${pc} CNTV_CVAL_EL0 (3,3,14,3,2) write`);
  } else if (x < 0.75) {
    emit('kvm_exit', `TRAP: HSR_EC: 0x0001 (WFx), PC: 0x${pc}`);
    emit('kvm_wfx_arm64', `guest executed wfi at: 0x${pc}`);
  } else if (x < 0.8) {
    emit('kvm_exit', `TRAP: HSR_EC: 0x0016 (HVC64), PC: 0x${pc}`);
    emit('kvm_hvc_arm64', `HVC at 0x${pc} (r0: 0x0000000084000003, imm: 0x0)`);
  } else {
    emit('kvm_exit', `IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x${pc}`);
    emit('irq_handler_entry', 'irq=11 name=arch_timer');
    emit('irq_handler_exit', 'irq=11 ret=handled');
  }
  return out;
}

/** Generates `count` events in time order, as tracefs prints the merged per-CPU buffers. */
export function* synthesizeKvmTrace(count: number, seed = 1): Generator<SyntheticEvent> {
  const r = rng(seed);
  const clock = Array.from({ length: SYNTH_VCPUS }, (_, i) => 1_000_000_000_000 + i * 997);
  const pending: SyntheticEvent[][] = [];
  const at: number[] = new Array<number>(SYNTH_VCPUS).fill(0);
  let n = 0;
  for (let v = 0; v < SYNTH_VCPUS; v++) pending.push(cycle(r, v, clock, false));
  while (n < count) {
    let v = 0;
    for (let i = 1; i < SYNTH_VCPUS; i++) if (pending[i]![at[i]!]!.tsNs < pending[v]![at[v]!]!.tsNs) v = i;
    yield pending[v]![at[v]!]!;
    n++;
    if (++at[v]! === pending[v]!.length) {
      // For a tenth of the trace every vCPU hammers one MMIO register without a valid syndrome.
      pending[v] = cycle(r, v, clock, n > count * 0.6 && n < count * 0.7);
      at[v] = 0;
    }
  }
}

/** One event as raw tracefs prints it with record-tgid and 5-character flags (Linux 5.15+). */
export function formatTracefsLine(e: SyntheticEvent): string {
  const us = Math.floor(e.tsNs / 1000);
  const secs = Math.floor(us / 1_000_000);
  const frac = String(us % 1_000_000).padStart(6, '0');
  return `${e.comm.padStart(16)}-${String(e.pid).padEnd(7)} (${String(e.tgid).padStart(7)}) [${String(e.cpu).padStart(3, '0')}] d..1. ${String(secs).padStart(5)}.${frac}: ${e.name}: ${e.args}`;
}

/** The tracefs header of a `trace` file. */
export function tracefsHeader(entries: number, cpus: number): string {
  return [
    '# tracer: nop',
    '#',
    `# entries-in-buffer/entries-written: ${entries}/${entries}   #P:${cpus}`,
    '#',
    '#                                _-----=> irqs-off/BH-disabled',
    '#                               / _----=> need-resched',
    '#                              | / _---=> hardirq/softirq',
    '#                              || / _--=> preempt-depth',
    '#                              ||| / _-=> migrate-disable',
    '#                              |||| /     delay',
    '#           TASK-PID     TGID     CPU#  |||||  TIMESTAMP  FUNCTION',
    '#              | |         |        |   |||||     |         |',
  ].join('\n');
}
