// MMU model throughput, in-process (issue 6 targets on this 2-core machine; rates per CPU second of
// this process, so that other work on the machine does not skew them): combine >= 10 M/s, attrs-mode
// replay >= 1 M accesses/s, walk-mode replay (two stages, every stage-1 fetch translated by stage 2) >= 200,000/s.
import { combineDecoded, combineEncodings } from '../main/core/mmu/combine';
import { combineLine } from '../main/cli/commands/combine';
import { replayAccess } from '../main/core/mmu/replay';
import type { Scenario } from '../main/core/mmu/scenario';
import { parseScenario } from '../main/core/mmu/scenario-parse';
import { decodeS1MemAttrs } from '../main/core/mmu/s1-attrs';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

function report(name: string, perSecond: number, unit: string, target: string): void {
  const v = perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : `${Math.round(perSecond / 1000)} k`;
  console.log(`${name.padEnd(48)} ${v.padStart(9)} ${unit}/s   target ${target}`);
}

/**
 * Runs `fn(i)` for i in [0, n) repeatedly for at least `ms` of CPU time and returns calls per CPU second of this
 * process (user + system): the figure an idle core would give, even when other work shares the machine.
 */
function rate(n: number, ms: number, fn: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < n; i++) if (fn(i)) sink++;
  let calls = 0;
  const c0 = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    for (let i = 0; i < n; i++) if (fn(i)) sink++;
    calls += n;
    const c = process.cpuUsage(c0);
    used = c.user + c.system;
  }
  if (sink < 0) console.log(sink);
  return calls / (used / 1e6);
}

function scenario(json: unknown): Scenario {
  const r = parseScenario(json);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

// A mix of attrs-mode accesses: the seed fault, the 6.9 Normal-NC case, pairs, SIMD, LSE2 exclusives, RAM.
function attrsCorpus(): Scenario[] {
  const r = prng(0xa11);
  const mairs = ['0x44', '0x04', '0xff', '0x00', '0xbb', '0xf0'];
  const s2s = ['0b0001', '0b0101', '0b1111', '0b0110', '0b1010'];
  const kinds: [string, number][] = [['store', 8], ['load', 4], ['load_pair', 16], ['simd_load', 16], ['exclusive_load', 8], ['atomic_rmw', 8], ['dc_zva', 64], ['ifetch', 4]];
  const out: Scenario[] = [];
  for (let i = 0; i < 512; i++) {
    const [kind, size] = kinds[r() % kinds.length] as [string, number];
    out.push(
      scenario({
        mode: 'attrs',
        cpu: { feat_lse2: r() & 1 },
        hcr_el2: { VM: 1, FWB: r() % 4 === 0 ? 1 : 0 },
        stage1: { mair_attr: mairs[r() % mairs.length] },
        stage2: { memattr: s2s[r() % s2s.length] },
        access: { kind, va: `0x${(0x10000000 + (r() % 4096)).toString(16)}`, size, el: 1 },
        kvm: r() & 1 ? { kernel: '6.1.0-18-arm64' } : null,
      }),
    );
  }
  return out;
}

// Two-stage 4K walks (tables of test/core/mmu/replay-walk.test.ts): 4 stage-1 levels, each fetch and the
// final IPA through a 3-level stage 2 -> 19 descriptor reads per access.
function walkCorpus(): Scenario[] {
  const s1tables: Record<string, string> = { '0x1008': '0x2003', '0x2008': '0x3003', '0x3008': '0x4003' };
  for (let i = 0; i < 64; i++) s1tables[`0x${(0x4000 + 8 * i).toString(16)}`] = `0x${(0x80000703 + i * 0x1000).toString(16)}`;
  const s2tables = { '0x100010': '0x101003', '0x101000': '0x102003', '0x100000': '0x103003', '0x103000': '0x104003' } as Record<string, string>;
  for (let i = 0; i < 64; i++) {
    s2tables[`0x${(0x102000 + 8 * i).toString(16)}`] = `0x${(0x80000000 + i * 0x1000 + 0x7ff).toString(16)}`;
    s2tables[`0x${(0x104000 + 8 * i).toString(16)}`] = `0x${(i * 0x1000 + 0x7ff).toString(16)}`;
  }
  const base = scenario({
    mode: 'walk',
    hcr_el2: { VM: 1 },
    stage1: { tcr_el1: { T0SZ: 16, TG0: '4K', IPS: 5 }, ttbr0_el1: '0x1000', mair_el1: '0xff', tables: s1tables },
    stage2: { vtcr_el2: { T0SZ: 24, SL0: 1, TG0: '4K', PS: 2 }, vttbr_el2: '0x100000', tables: s2tables },
    access: { kind: 'load', va: '0x8040200230', size: 8, el: 1 },
  });
  // One guest's tables, many accesses (as a bundle replay uses them).
  const out: Scenario[] = [];
  for (let i = 0; i < 64; i++) {
    out.push({ ...base, access: { ...base.access, kind: i % 3 === 0 ? 'store' : 'load', va: 0x8040200230n + BigInt(i) * 0x1000n } });
  }
  return out;
}

export async function run(): Promise<void> {
  const r = prng(0xc0b);
  const N = 1 << 16;
  const s1 = new Uint8Array(N);
  const s2 = new Uint8Array(N);
  const fwb = new Uint8Array(N);
  for (let i = 0; i < N; i++) [s1[i], s2[i], fwb[i]] = [r() & 0xff, r() & 0xf, r() & 1];
  report('combine: combineEncodings (memoized)', rate(N, 1500, (i) => combineEncodings(s1[i] as number, s2[i] as number, fwb[i] === 1).rule), 'pairs', '>= 10 M/s');
  const decoded = Array.from({ length: 256 }, (_, a) => decodeS1MemAttrs(a, 'ISH'));
  report('combine: combineDecoded (no memo, for reference)', rate(N >> 2, 1000, (i) => combineDecoded(decoded[s1[i] as number] as ReturnType<typeof decodeS1MemAttrs>, s2[i] as number, fwb[i] === 1, 'ISH').rule), 'pairs', '(no target)');
  const lines = Array.from({ length: 4096 }, (_, i) => JSON.stringify({ s1: `0x${(s1[i] as number).toString(16)}`, s2: `0b${(s2[i] as number).toString(2)}`, fwb: fwb[i] === 1 }));
  report('combine: JSON Lines batch (parse + result line)', rate(lines.length, 1000, (i) => combineLine(lines[i] as string).ok), 'lines', '(no target)');

  const attrs = attrsCorpus();
  report('replay attrs mode (mixed access kinds)', rate(attrs.length, 1500, (i) => replayAccess(attrs[i] as Scenario).outcome), 'accesses', '>= 1 M/s');
  const walks = walkCorpus();
  report('replay walk mode (4K two-stage, 19 reads)', rate(walks.length, 1500, (i) => replayAccess(walks[i] as Scenario).outcome), 'accesses', '>= 200 k/s');
}
