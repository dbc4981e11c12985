// Kernel symbols from the trace.dat's copy of /proc/kallsyms, looked up the way trace-cmd report does so
// that %ps, stack traces and the plugins print the same names:
//  - trace-cmd lib/trace-cmd/trace-util.c tracecmd_parse_proc_kallsyms: lines "addr type name[\t[module]]";
//    names starting with '$' (arm's mapping symbols) and absolute symbols (type A/a) are skipped.
//  - libtraceevent src/event-parse.c: registered functions are prepended to a list, then sorted by address
//    (func_map_init; glibc's qsort is a stable merge sort, so equal addresses keep the reversed file order),
//    with a sentinel of address 0 at the end; find_func is a bsearch with func_bcmp, which matches a symbol
//    when the address equals it or lies before the next symbol's address.

export interface KernelSymbol {
  readonly name: string;
  readonly addr: bigint;
}

export class Kallsyms {
  private readonly addrs: BigUint64Array;
  private readonly names: string[];

  private constructor(addrs: BigUint64Array, names: string[]) {
    this.addrs = addrs;
    this.names = names;
  }

  static parse(text: string): Kallsyms {
    const entries: { addr: bigint; name: string; order: number }[] = [];
    let order = 0;
    for (const line of text.split('\n')) {
      // ffffffffa8902e5f T try_to_wake_up
      // ffffffffc07ec678 d descriptor.58652	[bnep]
      const sp1 = line.indexOf(' ');
      if (sp1 <= 0 || line.charCodeAt(sp1 + 2) !== 32) continue;
      const type = line[sp1 + 1];
      const rest = line.slice(sp1 + 3);
      const tab = rest.indexOf('\t');
      const name = (tab === -1 ? rest : rest.slice(0, tab)).trim();
      if (name === '' || name.startsWith('$') || type === 'A' || type === 'a') continue;
      let addr: bigint;
      try {
        addr = BigInt('0x' + line.slice(0, sp1));
      } catch {
        continue;
      }
      entries.push({ addr, name, order: order++ });
    }
    // Ties: the later line first (prepended list, stable sort).
    entries.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : b.order - a.order));
    const addrs = new BigUint64Array(entries.length);
    const names = new Array<string>(entries.length);
    entries.forEach((e, i) => {
      addrs[i] = e.addr;
      names[i] = e.name;
    });
    return new Kallsyms(addrs, names);
  }

  get size(): number {
    return this.names.length;
  }

  /** The function containing `addr` (glibc bsearch over func_bcmp, as libtraceevent's find_func). */
  find(addr: bigint): KernelSymbol | null {
    const a = this.addrs;
    let l = 0;
    let u = a.length;
    while (l < u) {
      const idx = (l + u) >>> 1;
      const at = a[idx]!;
      const next = idx + 1 < a.length ? a[idx + 1]! : 0n;
      if (addr === at || (addr > at && addr < next)) return { name: this.names[idx]!, addr: at };
      if (addr < at) u = idx;
      else l = idx + 1;
    }
    return null;
  }
}
