// When two records are one fault printed twice. A serial capture that repeats a chunk, or a log collected
// twice into one file, repeats the same text: same kind, same syndrome and addresses, same CPU, task and
// Oops counter, and the same timestamp (or none at all). Two faults microseconds apart differ in time or
// CPU and stay two; two Oopses hours apart differ in time and in the `[#N]` counter. Faults of two boots
// (a capture across a reboot) are two, whatever their times on their since-boot clocks.
import type { FaultRecord } from '../fault-record';

function same<T>(a: T | null, b: T | null): boolean {
  return a === b;
}

export function sameFault(a: FaultRecord, b: FaultRecord): boolean {
  return (
    a.kind === b.kind &&
    same(a.esr, b.esr) &&
    same(a.far, b.far) &&
    same(a.ipa, b.ipa) &&
    same(a.pc, b.pc) &&
    same(a.cpu, b.cpu) &&
    same(a.pid, b.pid) &&
    same(a.comm, b.comm) &&
    same(a.timeNs, b.timeNs) &&
    a.extra.oops === b.extra.oops &&
    a.extra.boot === b.extra.boot &&
    a.extra.pc_symbol === b.extra.pc_symbol
  );
}
