// The function_graph tracer's text layout (`# tracer: function_graph`), as kernel/trace/trace_functions_graph.c
// prints it. A KVM host traced with it shows the call graph of the exits, with the trace events enabled
// beside it (kvm_exit, kvm_guest_fault, kvm_mmio_nisv...) printed as comments in the graph:
//
//    3000.123456 |   1)  CPU 0/K-4250   |               |  kvm_handle_guest_abort() {
//    3000.123457 |   1)  CPU 0/K-4250   |   0.541 us    |    kvm_vcpu_trap_get_fault();
//    3000.123460 |   1)  CPU 0/K-4250   |               |    /* kvm_guest_fault: ipa 0x10001000, hsr 0x92000061, ... */
//    3000.123471 |   1)  CPU 0/K-4250   | + 12.583 us   |  }
//
// A line is print_graph_prologue's columns, each there only with its option, then the duration column and
// the graph (print_graph_entry_leaf / _nested, print_graph_return, print_graph_comment):
//   funcgraph-abstime  "%5lu.%06lu |  "          (print_graph_abs_time: microseconds)
//   funcgraph-reltime  "%9llu us |  "            (print_graph_rel_time: microseconds since the buffer's start)
//   funcgraph-cpu      " %*d) "                  (print_graph_cpu; on by default)
//   funcgraph-proc     comm-pid centred in 14, " | "  (print_graph_proc: the comm cut to 7 characters)
//   latency-format     " " flags " | "           (print_graph_lat_fmt)
//   funcgraph-duration "%c " "N.NNN us" padded, "|  ", or 14 spaces and "|  " on lines with no duration
//   then two spaces per call depth and `func() {`, `func();`, `}` (or `} /* func */`), or `/* comment */`.
// When the task on a CPU changes, verif_pid prints a block naming both (comm cut to 7 characters):
//    ------------------------------------------
//    1)  CPU 0/K-4250   =>  qemu-sy-4242
//    ------------------------------------------
// Times are on a line only with funcgraph-abstime, which is off by default; funcgraph-reltime's are counted
// from the buffer's start, which no other log of a bundle knows: lines with only those are read as untimed.
// The comm is cut to 7 characters (print_graph_proc: comm[7] = '\0'): `CPU 0/K` for QEMU's `CPU 0/KVM`.
// Lines are read one by one (a comment a mailer wrapped is joined first, tokenizer.ts) and give the same
// result read again from storage (the tokenizer re-reads a chunk's raw lines); only the task of a line
// without the proc column comes from the last switch block.

import { INT64_MAX, MAX_SAFE_SECONDS, timestampBig } from './timestamp';
import type { ScannedLine } from './event-line';

// Groups: 1 secs and 2 micros (abstime), 3 micros (reltime; both may be on), 4 cpu, 5 comm (at most 7
// characters, no bar) and 6 pid (proc), 7 the duration column; the graph follows the match.
const GRAPH_LINE =
  /^[ \t]*(?:(\d+)\.(\d{6})[ \t]+\|[ \t]+)?(?:(\d+) us[ \t]+\|[ \t]+)?(?:(\d{1,5})\)[ \t]+)?(?:([^\s|](?:[^|]{0,5}[^\s|])?)-(\d+)[ \t]+\|[ \t]+)?(?:[dDbX.][A-Za-z.][A-Za-z.][0-9a-fA-F.][0-9a-fA-F.]?[ \t]+\|[ \t]+)?((?:[!#@*$+][ \t]+)?(?:\d+(?:\.\d+)? us[ \t]+)?\|[ \t]*)?/;
// The graph itself: an entry with children, a leaf call, a return, or a comment (a trace event's text, or
// trace_printk's). A function is printed with %ps: a module's carries ` [module]`; funcgraph-args prints the
// arguments in the parentheses, funcgraph-retval and funcgraph-retaddr a comment after the call.
const ENTRY = /^[\w.$]+(?: \[[\w.-]+\])?\(.*\) \{(?: \/\*.*\*\/)?\s*$/;
const LEAF = /^[\w.$]+(?: \[[\w.-]+\])?\(.*\);(?: \/\*.*\*\/)?\s*$/;
const RETURN = /^\}(?: \/\*.*\*\/)?\s*$/;
const COMMENT = /^\/\* (.*?) ?\*\/\s*$/;
// A trace event's text in a comment: its name, a colon, its arguments (trace_event print: "%s: ").
const EVENT_COMMENT = /^([A-Za-z_][\w.-]*): ?/;
// verif_pid's block: the switch line (print_graph_cpu, two procs and " => "), between dashed lines.
const SWITCH = /^[ \t]*(\d{1,5})\)[ \t]+(\S(?:.*?\S)?)-(\d+)[ \t]+=>[ \t]+(\S(?:.*?\S)?)-(\d+)[ \t]*$/;
const DASHES = /^[ \t]*-{20,}[ \t]*$/;
// The irq markers print_graph_irq draws (funcgraph-irqs): "==========>" and "<==========".
const IRQ = /^(?:={10}>|<={10})/;

/** Which task runs on which CPU, from the switch blocks read so far (for lines without the proc column). */
export type GraphTasks = Map<number, { readonly comm: string; readonly pid: number }>;

/** A graph line read: 'timed' (a time column gave its time), 'untimed', or null if it is not one. */
export type GraphScan = 'timed' | 'untimed' | null;

/**
 * Scans a function_graph line into `out`: the events of the graph are `funcgraph_entry` (calls) and
 * `funcgraph_exit` (returns), their arguments the duration column and the graph text, as `trace-cmd report`
 * names them; a comment is the trace event it prints (`name: arguments`), or `print` (trace_printk).
 * Without the CPU column the CPU is -1; without the proc column the task is the CPU's last in `tasks`, else
 * unknown (`<...>`, -1).
 */
export function scanGraphLine(line: string, out: ScannedLine, tasks: GraphTasks): GraphScan {
  const m = GRAPH_LINE.exec(line);
  if (m === null || !anchored(m)) return null;
  const cpuText = m[4];
  const duration = m[7];
  const graphAt = m[0].length;
  const graph = line.slice(graphAt);
  let name: string;
  let args: string;
  const comment = COMMENT.exec(graph);
  if (comment !== null) {
    const text = comment[1]!;
    const ev = EVENT_COMMENT.exec(text);
    name = ev === null ? 'print' : ev[1]!;
    args = ev === null ? text : text.slice(ev[0].length);
  } else if (ENTRY.test(graph) || LEAF.test(graph)) {
    name = 'funcgraph_entry';
    args = line.slice(m.index + m[0].length - (duration?.length ?? 0)).trimEnd();
  } else if (RETURN.test(graph)) {
    name = 'funcgraph_exit';
    args = line.slice(m.index + m[0].length - (duration?.length ?? 0)).trimEnd();
  } else return null;
  out.cpu = cpuText === undefined ? -1 : +cpuText;
  if (m[5] !== undefined) {
    out.comm = m[5];
    out.pid = +m[6]!;
  } else {
    const task = tasks.get(out.cpu);
    out.comm = task?.comm ?? '<...>';
    out.pid = task?.pid ?? -1;
  }
  out.tgid = null;
  out.flags = null;
  out.latency = false;
  out.reset(line, graphAt);
  out.args = args;
  out.name = name;
  if (m[1] !== undefined) {
    const secs = m[1];
    if (secs.length <= 7 && +secs <= MAX_SAFE_SECONDS) {
      out.tsNs = +secs * 1e9 + +m[2]! * 1000;
      out.tsBig = null;
    } else {
      const t = timestampBig(secs, m[2]!);
      // Beyond what storage holds: no time a kernel prints.
      if (t > INT64_MAX) return null;
      out.tsBig = t;
      out.tsNs = Number(t);
    }
    out.counter = false;
    return 'timed';
  }
  out.tsNs = Number.NaN;
  out.tsBig = null;
  out.counter = false;
  return 'untimed';
}

/** A switch block's line: the CPU and the task that runs on it from there on; null if it is not one. */
export function parseGraphSwitch(line: string): { readonly cpu: number; readonly comm: string; readonly pid: number } | null {
  const m = SWITCH.exec(line);
  return m === null ? null : { cpu: +m[1]!, comm: m[4]!, pid: +m[5]! };
}

/** The dashed lines around a switch block, and the irq markers: lines of the graph that are not events. */
export function isGraphDecoration(line: string): boolean {
  if (DASHES.test(line)) return true;
  const m = GRAPH_LINE.exec(line);
  return m !== null && anchored(m) && IRQ.test(line.slice(m[0].length));
}

/**
 * A graph line whose comment is not closed on it: a trace event's text wrapped by a mailer or a terminal
 * (`… /* kvm_guest_fault: ipa 0x9000000, esr` ⏎ `0x93810047, …` and the comment's end); the next lines may
 * close it.
 */
export function opensGraphComment(line: string): boolean {
  const m = GRAPH_LINE.exec(line);
  if (m === null || !anchored(m)) return false;
  const graph = line.slice(m[0].length);
  return graph.startsWith('/*') && !graph.includes('*/');
}

/**
 * Whether `line` is the rest of a `trace-cmd report` funcgraph_entry/funcgraph_exit line broken before its
 * duration column (`11.065 us  |        }`, `|  sys_open() {`): the duration column and a graph, no other.
 */
export function isGraphRest(line: string): boolean {
  const m = GRAPH_LINE.exec(line);
  if (m === null || m[7] === undefined || m[1] !== undefined || m[3] !== undefined || m[4] !== undefined || m[5] !== undefined) return false;
  const graph = line.slice(m[0].length);
  return COMMENT.test(graph) || ENTRY.test(graph) || LEAF.test(graph) || RETURN.test(graph);
}

/** Whether one of the columns matched: without any, a line of prose could pass for a graph. */
function anchored(m: RegExpExecArray): boolean {
  return m[1] !== undefined || m[3] !== undefined || m[4] !== undefined || m[5] !== undefined || m[7] !== undefined;
}
