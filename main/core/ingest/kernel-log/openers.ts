// Which lines open a block of a kernel log's fault report, and which may matter at all. The opener table
// names the literal starts of every block (sources per opener: patterns.ts), and the gate built from it lets
// an ordinary line through at the cost of one lookup by its first character (the assembler reads only the
// lines that pass it while no block is open). A block is routed by the stream its lines belong to
// (streamOf: CPU, task, or SMMU), so that reports printed at once stay apart.
import { Block, type BlockSpec, type BlockState, type LineView, type OpenBlock } from './blocks/block';
import { OOPS_BLOCK, openOops } from './blocks/oops';
import { HYP_BLOCK, SERROR_BLOCK, openHyp, openSerror } from './blocks/panic';
import { CONTEXT_FAULT_BLOCK, SMMU_EVENT_BLOCK, SYSREG_BLOCK, VMM_BLOCK, openContextFault, openSmmuEvent, openSysreg, openVmm } from './blocks/devices';
import { SINGLE_LINE_STARTS } from './single-line';
import type { LogicalLine } from './logical-lines';
import * as P from './patterns';

type Opener = (view: LineView) => OpenBlock | null;

function opener<S extends BlockState>(spec: BlockSpec<S>, open: (v: LineView) => S | null): Opener {
  return (view) => {
    const state = open(view);
    return state === null ? null : new Block(spec, state, streamOf(view.line));
  };
}

// The gate: the literal starts of every line that can open a block (sources per opener: patterns.ts).
// An ordinary line costs a Map lookup by its first character and a few startsWith checks, no regex.
const OPENER_TABLE: readonly (readonly [starts: readonly string[], open: Opener])[] = [
  [['Unable to handle kernel ', 'Mem abort info:', 'ESR = ', 'Internal error: ', 'Unhandled fault', 'Unhandled ', 'Insufficient stack space', 'Bad mode in ', 'kernel BUG at '], opener(OOPS_BLOCK, openOops)],
  [['SError Interrupt on CPU', 'Bad mode in Error handler'], opener(SERROR_BLOCK, openSerror)],
  [['nVHE hyp ', 'Kernel panic - not syncing: HYP panic:', '---[ end Kernel panic - not syncing: HYP panic:', 'HYP panic:'], opener(HYP_BLOCK, openHyp)],
  [['Unsupported guest '], opener(SYSREG_BLOCK, openSysreg)],
  [['arm-smmu', 'arm_smmu'], opener(SMMU_EVENT_BLOCK, openSmmuEvent)],
  [['arm-smmu', 'arm_smmu'], opener(CONTEXT_FAULT_BLOCK, openContextFault)],
  [['error: kvm run failed'], opener(VMM_BLOCK, openVmm)],
];

export const USER_FAULT_OPENER: Opener = opener(OOPS_BLOCK, openOops);

/** First character -> the openers whose starts begin with it, each with those starts. */
export const OPENERS: ReadonlyMap<number, readonly (readonly [readonly string[], Opener])[]> = (() => {
  const map = new Map<number, (readonly [readonly string[], Opener])[]>();
  for (const [starts, open] of OPENER_TABLE) {
    for (const first of new Set(starts.map((x) => x.charCodeAt(0)))) {
      const mine = starts.filter((x) => x.charCodeAt(0) === first);
      map.set(first, [...(map.get(first) ?? []), [mine, open] as const]);
    }
  }
  return map;
})();

/**
 * The literal starts of every line the assembler can act on while no block is open, by first character:
 * block and single-line starts, host facts, `kvm [pid]:` and debug-function prefixes (`mem_abort_decode:`,
 * `show_pte:`, ...). Other lines are not even built into logical lines.
 */
const GATE: readonly (readonly string[] | undefined)[] = (() => {
  const starts = [
    ...OPENER_TABLE.flatMap(([s]) => s),
    ...SINGLE_LINE_STARTS,
    'Booting Linux on physical CPU',
    'Linux version ',
    'Kernel command line: ',
    'starting up libvirt ',
    '-- Boot ',
    '-- Reboot --',
    'kvm [',
    'mem_abort_decode:',
    'data_abort_decode:',
    'show_pte:',
    'die_kernel_fault:',
    'do_mem_abort:',
    '__do_',
  ];
  // By first char code, in an array (every start begins with an ASCII character): a Map lookup cost a
  // good part of the gate, which runs for every line of a log.
  const byChar: (string[] | undefined)[] = new Array<string[] | undefined>(128).fill(undefined);
  for (const x of new Set(starts)) (byChar[x.charCodeAt(0)] ??= []).push(x);
  return byChar;
})();

/** Whether `text` has `prefix` at `at`, before `end`: by char codes (startsWith with a position is slower). */
function hasAt(text: string, at: number, end: number, prefix: string): boolean {
  if (at + prefix.length > end) return false;
  for (let k = 0; k < prefix.length; k++) if (text.charCodeAt(at + k) !== prefix.charCodeAt(k)) return false;
  return true;
}

/**
 * The gate, on the message `text[start, end)`: whether a line with that message can open a block or carry a
 * fact while no block is open (the literal starts above, read after a `kvm [pid]: ` prefix, and user-space
 * `comm[pid]: unhandled ...` faults). Bounded, so that it can be asked of a line inside a block of lines.
 */
export function mayMatter(text: string, start: number, end: number): boolean {
  return mayMatterAtStart(text, start, end) || findIn(text, UNHANDLED, start + 1, end) >= 0;
}

/** The pattern of user-space unhandled faults (`comm[pid]: unhandled level 2 translation fault`). */
export const UNHANDLED = ']: unhandled ';

/**
 * The gate without its search for UNHANDLED anywhere in the message (mayMatter is this, or that search):
 * for a caller that looks for UNHANDLED once in a whole text of many lines.
 */
export function mayMatterAtStart(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) === 107 /* k */ && hasAt(text, i, end, 'kvm [')) {
    // KVM's messages are read after their `kvm [pid]: ` prefix (blocks/block.ts viewOf), so only those
    // whose rest passes the gate can matter: a KVM host logs many others (vgic, timers, PSCI).
    const close = findIn(text, ']: ', i + 5, end);
    if (close < 0) return true;
    i = close + 3;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  }
  const starts = i < end ? GATE[text.charCodeAt(i)] : undefined;
  if (starts !== undefined) for (const x of starts) if (x !== 'kvm [' && hasAt(text, i, end, x)) return true;
  return false;
}

/**
 * Where `pattern` starts in `text[from, end)`, or -1. Searched in a slice (a view, not a copy): an indexOf
 * on `text` itself would run on past `end`, over every line after this one in a block of lines.
 */
function findIn(text: string, pattern: string, from: number, end: number): number {
  if (end - from < pattern.length) return -1;
  const at = text.slice(from, end).indexOf(pattern);
  return at < 0 ? -1 : from + at;
}

export function startsWithAny(body: string, starts: readonly string[]): boolean {
  for (const x of starts) if (body.startsWith(x)) return true;
  return false;
}

/**
 * Lines of different CPUs go to different blocks, and lines of different tasks (printk's caller id `[T1918]`,
 * a program's `ident[pid]`): two reports printed at once interleave line by line. So do lines of different
 * SMMUs (dev_printk's `arm-smmu-v3 arm-smmu-v3.2.auto: `): each SMMU's event queue thread prints its own
 * events, line by line, while another does. Lines that name none of these share one.
 */
export function streamOf(line: LogicalLine): string {
  if (line.cpu !== null) return `c${line.cpu}`;
  if (line.pid !== null) return `p${line.pid}`;
  return line.body.startsWith('arm') ? smmuStream(line.body) : '';
}

function smmuStream(body: string): string {
  const m = P.SMMU_DEVICE_RE.exec(body);
  return m === null ? '' : `d${m[2]!}`;
}
