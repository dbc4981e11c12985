// One line of ftrace text: the event-line grammar of both dialects, and the header and marker lines.
//
// Sources: kernel/trace/trace_output.c (trace_print_context: "%16s-%-7d ", the "(%7d) "/"(-------) " TGID
// column with record-tgid, "[%03d] ", trace_print_lat_fmt's 4 or 5 flag characters, trace_print_time
// "%5llu.%06lu: "), kernel/trace/trace.c (print_trace_header "# tracer:", "# entries-in-buffer/entries-written:",
// "CPU:%d [LOST %lu EVENTS]", "##### CPU %u buffer started ####"), and trace-cmd's report output
// (trace-cmd/tracecmd/trace-read.c: "cpus=%d", "version = %d", "CPU %d is empty",
// "CPU:%d [%lld EVENTS DROPPED]"; libtraceevent's "%16s-%-5d [%03d] %5lu.%06lu: %-20s " layout).

import { emptyScannedLine, scanEventLine, type ScannedLine } from './event-line';

/** An event line (the arguments are cut from its text when read). */
export type EventLine = ScannedLine;

/** Parses an event line of either dialect (grammar and examples in event-line.ts); null if it is not one. */
export function parseEventLine(line: string): EventLine | null {
  const out = emptyScannedLine();
  return scanEventLine(line, out) ? out : null;
}

/** Lines that are not events: headers, markers and stack frames. */
export type MarkerLine =
  | { readonly kind: 'tracer'; readonly tracer: string }
  | { readonly kind: 'entries'; readonly inBuffer: number; readonly written: number; readonly cpus: number | null }
  | { readonly kind: 'cpus'; readonly cpus: number }
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'cpu-empty'; readonly cpu: number }
  | { readonly kind: 'dropped'; readonly cpu: number; readonly count: number | null }
  | { readonly kind: 'buffer-started'; readonly cpu: number }
  | { readonly kind: 'comment' }
  | { readonly kind: 'frame'; readonly text: string };

// # tracer: nop
const TRACER = /^#\s*tracer:\s*(\S*)/;
// # entries-in-buffer/entries-written: 19704/19704   #P:6
const ENTRIES = /^#\s*entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)(?:\s+#P:(\d+))?/;
// cpus=2
//          a.dat: cpus=8           (trace-cmd report -i a.dat -i longername.dat: each input's header, its name
// longername.dat: cpus=8            right-aligned to the longest, as its event lines are prefixed)
const CPUS = /^(?:[ \t]*\S(?:.*\S)?: )?cpus=(\d+)\s*$/;
// version = 6
const VERSION = /^version\s*=\s*(\d+)\s*$/;
// CPU 0 is empty
const CPU_EMPTY = /^CPU (\d+) is empty\s*$/;
// CPU:0 [1056508 EVENTS DROPPED]      (trace-cmd report)
// CPU:0 [EVENTS DROPPED]              (trace-cmd report, count unknown)
// CPU:2 [LOST 1234 EVENTS]            (tracefs trace_pipe / trace)
const DROPPED = /^\s*CPU:(\d+) \[(?:(\d+) EVENTS DROPPED|EVENTS DROPPED|LOST (\d+) EVENTS)\]/;
// ##### CPU 2 buffer started ####
const BUFFER_STARTED = /^#{3,}\s*CPU (\d+) buffer started\s*#*/;
//  => __do_softirq (ffffffffa98001f9)       (trace-cmd report kernel_stack)
//  => try_to_wake_up+0x1f/0x500             (tracefs <stack trace>)
const FRAME = /^\s*=> /;

/** Classifies a non-event line; null for text that is neither header, marker nor frame. */
export function parseMarkerLine(line: string): MarkerLine | null {
  const c = line.charCodeAt(0);
  if (c === 35 /* # */) {
    let m = TRACER.exec(line);
    if (m !== null) return { kind: 'tracer', tracer: m[1] as string };
    m = ENTRIES.exec(line);
    if (m !== null) return { kind: 'entries', inBuffer: Number(m[1]), written: Number(m[2]), cpus: m[3] === undefined ? null : Number(m[3]) };
    m = BUFFER_STARTED.exec(line);
    if (m !== null) return { kind: 'buffer-started', cpu: Number(m[1]) };
    return { kind: 'comment' };
  }
  if (FRAME.test(line)) return { kind: 'frame', text: line.trim() };
  let m = DROPPED.exec(line);
  if (m !== null) {
    const count = m[2] ?? m[3];
    return { kind: 'dropped', cpu: Number(m[1]), count: count === undefined ? null : Number(count) };
  }
  m = CPUS.exec(line);
  if (m !== null) return { kind: 'cpus', cpus: Number(m[1]) };
  m = VERSION.exec(line);
  if (m !== null) return { kind: 'version', version: Number(m[1]) };
  m = CPU_EMPTY.exec(line);
  if (m !== null) return { kind: 'cpu-empty', cpu: Number(m[1]) };
  return null;
}

// Quoting of a pasted mail: "> ", ">> ", "> > " before the text.
const QUOTE = /^(?:[ \t]*>)+ ?/;

/** Removes mail quoting; lines that do not start with `>` are returned as they are. */
export function unquote(line: string): string {
  let i = 0;
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  return line.charCodeAt(i) === 62 /* > */ ? line.replace(QUOTE, '') : line;
}

/** How many levels of mail quoting unquote removes from `line` (its `>` marks before the text). */
export function quoteDepth(line: string): number {
  let depth = 0;
  let i = 0;
  for (;;) {
    let j = i;
    while (line.charCodeAt(j) === 32 || line.charCodeAt(j) === 9) j++;
    if (line.charCodeAt(j) !== 62 /* > */) return depth;
    depth++;
    i = j + 1;
  }
}

/**
 * `line` with at most `depth` levels of mail quoting removed, and the space after the last one removed:
 * the text of a line that carries the quoting of the lines around it, whatever `>` its text starts with.
 * A mailer quotes every line of what it quotes alike (`> ` each, or `>` before a line that starts with `>`
 * already), so with 1 level `> > next_comm=…` and `>> next_comm=…` are both `> next_comm=…`, and with none
 * (a file nobody quoted) the line is its text.
 */
export function unquoteLevels(line: string, depth: number): string {
  let i = 0;
  for (let level = 0; level < depth; level++) {
    let j = i;
    while (line.charCodeAt(j) === 32 || line.charCodeAt(j) === 9) j++;
    if (line.charCodeAt(j) !== 62 /* > */) break;
    i = j + 1;
  }
  if (i > 0 && line.charCodeAt(i) === 32) i++;
  return i === 0 ? line : line.slice(i);
}
