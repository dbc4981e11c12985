// What a trace says about where a guest abort's IPA is, from the events of the same vCPU thread between the
// kvm_guest_fault and that thread's next kvm_entry (Linux arch/arm64/kvm/mmu.c kvm_handle_guest_abort,
// mmio.c io_mem_abort, include/trace/events/kvm.h):
//   - kvm_mmio for the IPA's page, or kvm_mmio_nisv: io_mem_abort ran, which it does only for an IPA outside
//     every memslot (or a write to a read-only one);
//   - the next kvm_entry at the faulting PC with neither of those nor a kvm_userspace_exit in between: KVM
//     resolved the fault in the kernel and the guest re-executes the instruction, which for a translation or
//     access-flag fault is user_mem_abort / handle_access_fault, inside a memslot. (Outside one the PC moves on:
//     emulation or a skipped cache maintenance advance it, an injected abort goes to the guest's vector, and
//     without a syndrome KVM_RUN fails.)
import type { FieldValue } from '../ingest/ftrace/kvm-events';

export interface TraceEventLike {
  readonly event: string;
  readonly pid: number;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly file: string;
  readonly line: number;
}

export interface MemslotEvidence {
  readonly inMemslot: boolean;
  readonly source: string;
}

function hexField(e: TraceEventLike, name: string): bigint | null {
  const v = e.fields[name];
  return typeof v === 'string' && /^0x[0-9a-f]+$/.test(v) ? BigInt(v) : null;
}

/**
 * The memslot evidence for a guest abort of thread `pid` at `ipa` (PC `pc`), from the events that follow it in
 * trace order (`after`, any threads; the abort's own event excluded). Null when they say nothing.
 */
export function memslotFromTrace(fault: { readonly pid: number; readonly ipa: bigint; readonly pc: bigint | null }, after: Iterable<TraceEventLike>): MemslotEvidence | null {
  const page = fault.ipa >> 12n;
  let userExit = false;
  for (const e of after) {
    if (e.pid !== fault.pid) continue;
    const at = `${e.file}:${e.line}`;
    if (e.event === 'kvm_mmio') {
      const gpa = hexField(e, 'gpa');
      if (gpa !== null && gpa >> 12n === page) return { inMemslot: false, source: `kvm_mmio at ${at}: KVM emulated the access (io_mem_abort runs only outside memslots)` };
    } else if (e.event === 'kvm_mmio_nisv') {
      return { inMemslot: false, source: `kvm_mmio_nisv at ${at}: io_mem_abort without a syndrome (outside memslots)` };
    } else if (e.event === 'kvm_userspace_exit') {
      userExit = true;
    } else if (e.event === 'kvm_entry') {
      const pc = hexField(e, 'vcpu_pc');
      if (!userExit && fault.pc !== null && pc === fault.pc) {
        return { inMemslot: true, source: `kvm_entry at ${at} returns to the faulting PC: KVM resolved the fault itself (user_mem_abort maps memslot pages)` };
      }
      return null;
    }
  }
  return null;
}
