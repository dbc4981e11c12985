// When two records are one fault printed twice. A serial capture that repeats a chunk, or a log collected
// twice into one file, repeats the same text: same kind, same syndrome and addresses, same CPU, task and
// Oops counter, and the same timestamp (or none at all). Two faults microseconds apart differ in time or
// CPU and stay two; two Oopses hours apart differ in time and in the `[#N]` counter. Faults of two boots
// (a capture across a reboot) are two, whatever their times on their since-boot clocks.
//
// A copy can also be cut short (../shared/docs/DOMAIN.md §4: "a serial capture that repeats a 12-line
// chunk (two `Internal error … [#1]` for one fault)"): the chunk printed twice ends before the CPU line, so
// one record lacks what the other has. Such a copy is the same fault when it has the same stamp and the
// same `[#N]` (die() counts every Oops of a boot: arch/arm64/kernel/traps.c __die, "[#%d]" from
// ++die_counter), and every field both records know agrees.
import type { FaultRecord } from '../fault-record';

/** The fields a copy may lack, in the order a report prints them. */
const FIELDS = ['esr', 'far', 'ipa', 'pc', 'cpu', 'pid', 'comm', 'kernel'] as const;

function agree<T>(a: T | null, b: T | null): boolean {
  return a === null || b === null || a === b;
}

export function sameFault(a: FaultRecord, b: FaultRecord): boolean {
  return (
    a.kind === b.kind &&
    a.esr === b.esr &&
    a.far === b.far &&
    a.ipa === b.ipa &&
    a.pc === b.pc &&
    a.cpu === b.cpu &&
    a.pid === b.pid &&
    a.comm === b.comm &&
    a.timeNs === b.timeNs &&
    a.extra.oops === b.extra.oops &&
    a.extra.boot === b.extra.boot &&
    a.extra.pc_symbol === b.extra.pc_symbol
  ) || sameCutShort(a, b);
}

/** One Oops printed twice, one copy cut short: same stamp, same `[#N]`, no known field differing. */
function sameCutShort(a: FaultRecord, b: FaultRecord): boolean {
  if (a.kind !== b.kind || a.timeNs === null || a.timeNs !== b.timeNs || a.extra.clock !== b.extra.clock) return false;
  if (a.extra.oops === undefined || a.extra.oops !== b.extra.oops || a.extra.boot !== b.extra.boot) return false;
  if (!symbolsAgree(a.extra.pc_symbol, b.extra.pc_symbol)) return false;
  return FIELDS.every((f) => agree<unknown>(a[f], b[f]));
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
 * missing fields taken from the other. Its range and text stay its own.
 */
export function fullerCopy(earlier: FaultRecord, later: FaultRecord): FaultRecord {
  const [keep, other] = known(later) > known(earlier) ? [later, earlier] : [earlier, later];
  if (FIELDS.every((f) => keep[f] !== null || other[f] === null) && Object.keys(other.extra).every((k) => k in keep.extra)) return keep;
  return {
    ...keep,
    esr: keep.esr ?? other.esr,
    far: keep.far ?? other.far,
    ipa: keep.ipa ?? other.ipa,
    pc: keep.pc ?? other.pc,
    cpu: keep.cpu ?? other.cpu,
    pid: keep.pid ?? other.pid,
    comm: keep.comm ?? other.comm,
    kernel: keep.kernel ?? other.kernel,
    extra: { ...other.extra, ...keep.extra },
  };
}
