// When two records are one fault printed twice. A serial capture that repeats a chunk, or a log collected
// twice into one file, repeats the same text; a second fault of the same kind prints the same text too, at
// another time. A record is compared with the 64 records read before it (reprints.ts DEDUP_WINDOW): a
// copy further on (a log of hundreds of faults appended to itself) is a record of its own. What tells a
// re-print from a second fault is what the log stamps its lines with:
//
// 1. Stamps below the second: the kernel's printk time (dmesg, a console, journalctl -o short-monotonic,
//    a syslog line that keeps `kernel: [ 1200.000001]`: kernel/printk/printk.c print_time, microseconds),
//    or a wall clock printed to the microsecond (RFC 3339 with `.123456`, rsyslog's RSYSLOG_FileFormat on
//    current distributions; the journal's realtime). A re-print repeats the lines at their stamps; a second
//    fault is printed at another stamp, even microseconds later. One fault when one record's first line is
//    a line of the other, at its stamp: a serial capture may re-send from a line inside the report, so
//    the copy begins later than the original.
// 2. Stamps to the second (classic `Jan  2 09:00:00` syslog, `dmesg -T`, journalctl -o short-iso), or none
//    (a console with printk.time=0, a paste): faults printed within the same second, or anywhere in a log
//    without stamps, print the very same lines as a re-print does. Only the content can name one
//    occurrence: the `[#N]` of an Oops (arch/arm64/kernel/traps.c __die prints "[#%d]" from ++die_counter,
//    so two Oopses of a boot never share it), a panic (traps.c arm64_serror_panic and
//    arch/arm64/kvm/handle_exit.c nvhe_hyp_panic_handler end in panic(), which stops every CPU: one per
//    CPU and boot), or a KVM message after which its vCPU thread stops (STOPS_THE_VCPU: Unsupported FSC,
//    the old no-syndrome message; one per thread). Other one-line messages (sys_reg traps, user-space
//    faults, SMMU events) are printed once per occurrence of a fault that can recur, so identical ones are
//    that many faults.
//
// In both, a copy can be cut short (../shared/docs/DOMAIN.md §4: "a serial capture that repeats a 12-line
// chunk (two `Internal error … [#1]` for one fault)"): the chunk printed twice ends before the CPU line,
// so one record lacks what the other has. Fields one copy lacks agree with anything; a field both know
// that differs (the CPU, the `[#N]`, the `pc :` symbol) makes two faults. Faults of two boots (a capture
// across a reboot) are two, whatever their times on their since-boot clocks.
//
// A panic prints its string again at its end (kernel/panic.c: "---[ end Kernel panic - not syncing: %s
// ]---"), after the stack, the stopped CPUs and the kernel offset. The panic's block takes the echo in; an
// echo that opens a block of its own (its panic's block ended before it) is the echo of the panic before
// it whose string it repeats, whatever the stamps.
import type { FaultRecord } from '../fault-record';
import { bootOf } from '../boot-clock';

/** A record as the dedup sees it: the record, and how its lines were printed. */
export interface Printed {
  readonly record: FaultRecord;
  /** Its first line as printed, with the time it was read at (printedLine). */
  readonly first: string;
  /** All its lines, the same way. */
  readonly lines: ReadonlySet<string>;
  /** Whether its stamps tell apart two prints less than a second apart (rung 1 above). */
  readonly exact: boolean;
  /** Opened by the end-of-panic echo of a panic string (Draft.echo). */
  readonly echo: boolean;
}

/** A line as a re-print repeats it: the time it was read at (the journal's is not in the text) and its text. */
export function printedLine(tsNs: bigint | null, text: string): string {
  return `${tsNs ?? '-'}|${text}`;
}

const NS_PER_S = 1_000_000_000n;

/**
 * Whether a record's stamp tells apart two prints less than a second apart (rung 1): the kernel's
 * since-boot stamp, in the line or kept beside a syslog time, or a wall clock printed below the second (a
 * stamp of a microsecond clock falls on a whole second once in 10^6 prints).
 */
export function exactStamps(r: FaultRecord): boolean {
  if (r.timeNs === null) return false;
  return bootOf(typeof r.extra.clock === 'string' ? r.extra.clock : null) !== null || r.extra.since_boot_ns !== undefined || r.timeNs % NS_PER_S !== 0n;
}

/** The fields a copy may lack, in the order a report prints them. */
const FIELDS = ['esr', 'far', 'ipa', 'pc', 'cpu', 'pid', 'comm', 'kernel'] as const;

/** Kinds whose report ends in panic(): printed once per CPU and boot (rung 2 above). */
const PANICS: ReadonlySet<string> = new Set(['serror', 'hyp_panic', 'hyp_bug']);

function agree<T>(a: T | null | undefined, b: T | null | undefined): boolean {
  return a === null || a === undefined || b === null || b === undefined || a === b;
}

/** Whether `b`, read after `a`, is `a` printed again. */
export function sameFault(a: Printed, b: Printed): boolean {
  if (b.echo && !a.echo) return echoOf(a.record, b.record);
  const [x, y] = [a.record, b.record];
  if (!fieldsAgree(x, y)) return false;
  if (a.exact && b.exact) return a.lines.has(b.first) || b.lines.has(a.first);
  return x.timeNs === y.timeNs && oneOccurrence(x, y);
}

/** The same kind, boot and clock, and no field both copies know differing. */
function fieldsAgree(a: FaultRecord, b: FaultRecord): boolean {
  if (a.kind !== b.kind || a.extra.boot !== b.extra.boot || a.extra.clock !== b.extra.clock) return false;
  if (!agree(a.extra.oops, b.extra.oops) || !symbolsAgree(a.extra.pc_symbol, b.extra.pc_symbol)) return false;
  return FIELDS.every((f) => agree<unknown>(a[f], b[f]));
}

/**
 * Whether `echo` repeats the string of `panic`: a HYP panic or BUG of the same boot, printed no later, the
 * syndrome, addresses and state the string carries agreeing (arch/arm64/kvm/hyp/nvhe/switch.c hyp_panic:
 * "HYP panic:\nPS:%08llx PC:%016llx ESR:%016llx\nFAR:%016llx HPFAR:%016llx PAR:%016llx\nVCPU:%016lx\n").
 * The PC is left out: `nVHE hyp panic at: [<%016llx>]` gives the panic its kernel address, the string its
 * hyp address.
 */
function echoOf(panic: FaultRecord, echo: FaultRecord): boolean {
  if ((panic.kind !== 'hyp_panic' && panic.kind !== 'hyp_bug') || panic.extra.boot !== echo.extra.boot) return false;
  if (panic.timeNs !== null && echo.timeNs !== null && (panic.extra.clock !== echo.extra.clock || echo.timeNs < panic.timeNs)) return false;
  if (!agree(panic.esr, echo.esr) || !agree(panic.far, echo.far) || !agree(panic.ipa, echo.ipa)) return false;
  return ECHOED.every((k) => agree(panic.extra[k], echo.extra[k]));
}

/** The panic string's values kept in `extra` (blocks/panic.ts). */
const ECHOED = ['ps', 'hpfar', 'par', 'vcpu'] as const;

/**
 * KVM messages after which the vCPU's thread does not run the guest again: kvm_handle_guest_abort prints
 * "Unsupported FSC" and returns -EFAULT (arch/arm64/kvm/mmu.c), io_mem_abort prints "load/store instruction
 * decoding not implemented" and returns -ENOSYS (arch/arm64/kvm/mmio.c), so KVM_RUN fails, and QEMU prints
 * "kvm run failed" and stops the VM (accel/kvm/kvm-all.c kvm_cpu_exec, vm_stop). The same thread (`kvm [%i]`
 * names it) printing the same message again is that message printed again.
 */
const STOPS_THE_VCPU: ReadonlySet<string> = new Set(['kvm_unsupported_fsc', 'kvm_nisv']);

/** What the content says when the time cannot tell: the same `[#N]`, the same panic, or the same stopped vCPU. */
function oneOccurrence(a: FaultRecord, b: FaultRecord): boolean {
  if (a.extra.oops !== undefined && a.extra.oops === b.extra.oops) return true;
  if (PANICS.has(a.kind)) return true;
  return STOPS_THE_VCPU.has(a.kind) && a.pid !== null && a.pid === b.pid;
}

/** `pc :` symbols of two copies: equal, or one cut short inside the other's (`snd_soc_dapm_new_` of `snd_soc_dapm_new_dai+0x3c/0x1b0`). */
function symbolsAgree(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return true;
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

function known(r: FaultRecord): number {
  return FIELDS.reduce((n, f) => (r[f] === null ? n : n + 1), r.extra.pc_symbol === undefined ? 0 : 1);
}

/**
 * The record to keep of two copies of one fault: the one that knows more (the earlier on a tie), its
 * missing fields taken from the other. Its range and text stay its own; its time is the earlier of the two
 * (a copy re-sent from a line inside the report begins after the fault was reported).
 */
export function fullerCopy(earlier: FaultRecord, later: FaultRecord): FaultRecord {
  return known(later) > known(earlier) ? fillFrom(later, earlier) : fillFrom(earlier, later);
}

/** `keep`, what it lacks taken from `other`, at the earlier time of the two; its range and text its own. */
export function fillFrom(keep: FaultRecord, other: FaultRecord): FaultRecord {
  const first = other.timeNs !== null && (keep.timeNs === null || other.timeNs < keep.timeNs) ? other : keep;
  if (first === keep && FIELDS.every((f) => keep[f] !== null || other[f] === null) && Object.keys(other.extra).every((k) => k in keep.extra)) return keep;
  const sinceBoot = first.extra.since_boot_ns;
  return {
    ...keep,
    timeNs: first.timeNs,
    esr: keep.esr ?? other.esr,
    far: keep.far ?? other.far,
    ipa: keep.ipa ?? other.ipa,
    pc: keep.pc ?? other.pc,
    cpu: keep.cpu ?? other.cpu,
    pid: keep.pid ?? other.pid,
    comm: keep.comm ?? other.comm,
    kernel: keep.kernel ?? other.kernel,
    extra: { ...other.extra, ...keep.extra, ...(sinceBoot === undefined ? {} : { since_boot_ns: sinceBoot }) },
  };
}
