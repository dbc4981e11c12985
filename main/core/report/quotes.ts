// The smallest set of log lines that shows a finding: for each fault, its first line and the lines that carry
// its facts (the headline message, the ESR, the panic), never the whole register dump or call trace; lines
// shared by several faults are quoted once; consecutive lines of one file form one block.
import type { FaultInput, LogLine } from './input';

/** Consecutive lines of one file, texts exactly as stored. */
export interface QuoteBlock {
  readonly file: string;
  readonly first: number;
  readonly last: number;
  readonly lines: readonly string[];
}

/** At most this many lines of one record are quoted; the decode and the facts say the rest. */
export const MAX_LINES_PER_FAULT = 6;

// Lines that carry a fault's facts, each with the real lines it must accept (DOMAIN.md §2 format strings,
// ../shared/samples/logs):
//   [    6.625500] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010
//   [  123.375049] Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP
//   [  229.000000] SError Interrupt on CPU3, code 0xbf000002 -- SError
//   Kernel panic - not syncing: Asynchronous SError Interrupt
//   kvm [2716]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061
//   error: kvm run failed Bad address
//   kvm [307]: nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!
//   HYP panic:   /   PS:800003c9 PC:0000ffff9f1d1b10 ESR:0000000002000000
//   kvm [1430]: Unsupported guest sys_reg access at: 80528a6c [80000349]
//   kvm [1430]: Data abort outside memslots with no valid syndrome info
//   arm-smmu-v3 arm-smmu-v3.2.auto: event 0x10 received:
//   arm-smmu 5040000.iommu: Unhandled context fault: fsr=0x402, iova=0x7ffe35c0, fsynr=0x1, cbfrsynra=0x0, cb=1
//   pc : __ll_sc_arch_atomic_sub_return+0x8/0x30
//   14:04:59 h63 kernel: pc : wq_worker_running+0x20/0x94
const KEY_LINES: readonly RegExp[] = [
  /Unable to handle kernel /,
  /Internal error: /,
  /SError Interrupt on CPU/,
  /Kernel panic - not syncing/,
  /Unsupported FSC: /,
  /kvm run failed /,
  /hyp (?:BUG|panic) at|HYP panic:|PS:[0-9a-f]+ PC:/i,
  /Unsupported guest (?:sys_reg|CP\d+) access/,
  /outside memslots/,
  /event 0x[0-9a-f]+ received|Unhandled context fault/,
  /(?:^|[\s:\]])pc : \S+\+0x[0-9a-f]+/,
];

/** The record's lines: as stored when given, else its text (kept as it appeared) numbered from its source. */
export function recordLines(f: FaultInput): LogLine[] {
  if (f.lines && f.lines.length > 0) return [...f.lines];
  const { file, line } = f.record.source;
  return f.record.text.split('\n').map((text, i) => ({ file, line: line + i, text }));
}

function mentionsEsr(text: string, esr: bigint | null): boolean {
  if (esr === null) return false;
  const hex = esr.toString(16);
  // Short values (a 0x2000000 ESR) would match unrelated numbers; six digits and more are specific.
  return hex.length >= 6 && text.toLowerCase().includes(hex);
}

/** The lines of one fault worth quoting: its first line, then those that carry its facts, in file order. */
export function keyLines(f: FaultInput): LogLine[] {
  const all = recordLines(f);
  const picked = all.filter((l, i) => i === 0 || mentionsEsr(l.text, f.record.esr) || KEY_LINES.some((re) => re.test(l.text)));
  return picked.slice(0, MAX_LINES_PER_FAULT);
}

/** Deduplicates lines, orders them by file (first appearance) and line, and joins consecutive ones. */
export function quoteBlocks(lines: readonly LogLine[]): QuoteBlock[] {
  const fileOrder = new Map<string, number>();
  const unique = new Map<string, LogLine>();
  for (const l of lines) {
    if (!fileOrder.has(l.file)) fileOrder.set(l.file, fileOrder.size);
    unique.set(`${l.file}\u0000${l.line}`, l);
  }
  const sorted = [...unique.values()].sort(
    (a, b) => (fileOrder.get(a.file) as number) - (fileOrder.get(b.file) as number) || a.line - b.line,
  );
  const blocks: { file: string; first: number; last: number; lines: string[] }[] = [];
  for (const l of sorted) {
    const open = blocks[blocks.length - 1];
    if (open && open.file === l.file && open.last + 1 === l.line) {
      open.last = l.line;
      open.lines.push(l.text);
    } else {
      blocks.push({ file: l.file, first: l.line, last: l.line, lines: [l.text] });
    }
  }
  return blocks;
}
