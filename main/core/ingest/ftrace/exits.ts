// KVM exits paired with the entry that follows them on the same vCPU thread: the time the vCPU spent in
// the host for that exit, by exit type and exception class. arch/arm64/kvm/arm.c kvm_arch_vcpu_ioctl_run()
// traces kvm_entry before entering the guest and kvm_exit right after it returns (both on the vCPU thread),
// so on one thread exits and entries alternate; a missing partner (dropped events, the trace's ends) leaves
// the exit unpaired and it is counted as such. pKVM's hyp_enter/hyp_exit pair the same way per CPU
// (time spent in the hypervisor). kvm_exit's text is read for them here too (parseExitText).

/**
 * kvm_exit's "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx" (arch/arm64/kvm/trace_arm.h), read with indexOf: it is a
 * quarter of a KVM host trace. Older kernels print no EC name; an EC without a symbol prints as `(0x2d)`.
 */
export function parseExitText(args: string, out: { ret: string; ec: number; ecName: string }): boolean {
  const colon = args.indexOf(':');
  const at = args.indexOf('HSR_EC: 0x', colon);
  if (colon <= 0 || at === -1) return false;
  let e = at + 10;
  let ec = 0;
  for (let c = args.charCodeAt(e); (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70); c = args.charCodeAt(++e)) {
    ec = ec * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  if (e === at + 10) return false;
  out.ret = args.slice(args.charCodeAt(0) === 32 ? 1 : 0, colon).trim();
  out.ec = ec;
  const open = args.charCodeAt(e + 1) === 40 /* ( */ ? e + 2 : -1;
  const close = open === -1 ? -1 : args.indexOf(')', open);
  out.ecName = close === -1 ? '' : args.slice(open, close);
  return true;
}

export interface ExitKey {
  readonly tid: number;
  /** `TRAP`, `IRQ`, `SERROR`, `ILLEGAL`, `HYP_GONE` (kvm_arm_exception_type), or `hyp` for pKVM. */
  readonly ret: string;
  readonly esrEc: number;
  readonly ecName: string;
}

export interface ExitStats extends ExitKey {
  count: number;
  totalNs: number;
  minNs: number;
  maxNs: number;
}

interface OpenExit {
  /** Whether an exit is waiting for its entry (the object stays, reused, once it is closed). */
  open: boolean;
  ts: number;
  ret: string;
  ec: number;
  ecName: string;
  /** The thread's statistics by (exit type, EC), once it has any. */
  stats: Map<number, ExitStats> | null;
}

export class ExitPairer {
  // One reused object per thread: an exit and its entry allocate nothing (a quarter of a KVM host trace).
  private readonly open = new Map<number, OpenExit>();
  /** Statistics by thread, then by (exit type, EC) as one number: ret index * 65536 + EC. */
  private readonly stats = new Map<number, Map<number, ExitStats>>();
  private readonly retIds = new Map<string, number>();
  private lastRet = '';
  private lastRetId = -1;
  unpaired = 0;

  /** A kvm_exit (or hyp_enter) on thread/CPU `tid`. */
  exit(tid: number, ts: number, ret: string, ec: number, ecName: string): void {
    let o = this.open.get(tid);
    if (o === undefined) {
      o = { open: false, ts, ret, ec, ecName, stats: null };
      this.open.set(tid, o);
    }
    if (o.open) this.unpaired++;
    o.open = true;
    o.ts = ts;
    o.ret = ret;
    o.ec = ec;
    o.ecName = ecName;
  }

  /** A kvm_entry (or hyp_exit): returns the host time of the exit it closes, or 0 if none is open. */
  entry(tid: number, ts: number): number {
    const o = this.open.get(tid);
    if (o === undefined || !o.open) return 0;
    o.open = false;
    const ns = ts - o.ts;
    if (ns < 0) {
      this.unpaired++;
      return 0;
    }
    let retId = o.ret === this.lastRet ? this.lastRetId : this.retIds.get(o.ret);
    if (retId === undefined) {
      retId = this.retIds.size;
      this.retIds.set(o.ret, retId);
    }
    this.lastRet = o.ret;
    this.lastRetId = retId;
    let perThread = o.stats;
    if (perThread === null) {
      perThread = this.stats.get(tid) ?? null;
      if (perThread === null) {
        perThread = new Map();
        this.stats.set(tid, perThread);
      }
      o.stats = perThread;
    }
    const key = retId * 65536 + (o.ec & 0xffff);
    let s = perThread.get(key);
    if (s === undefined) {
      s = { tid, ret: o.ret, esrEc: o.ec, ecName: o.ecName, count: 0, totalNs: 0, minNs: ns, maxNs: ns };
      perThread.set(key, s);
    }
    s.count++;
    s.totalNs += ns;
    if (ns < s.minNs) s.minNs = ns;
    if (ns > s.maxNs) s.maxNs = ns;
    return ns;
  }

  finish(): { stats: ExitStats[]; unpaired: number } {
    let stillOpen = 0;
    for (const o of this.open.values()) if (o.open) stillOpen++;
    return { stats: [...this.stats.values()].flatMap((m) => [...m.values()]), unpaired: this.unpaired + stillOpen };
  }
}
