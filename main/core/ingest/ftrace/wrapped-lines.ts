// Wrapped ftrace lines joined again (tokenizer.ts holds an event back for one line, and joins the next to it
// here when it is the event's rest): a terminal's cut at its width (mid-token, every character of the next
// line kept), a mailer's break at a space (kept or dropped), an event cut after its time or inside its name,
// a `0x` value cut anywhere. A KVM event whose payload Faultline reads decides for itself (kvm-events.ts
// parseKvmEventWhole): cut short while it does not read, whole once it does. Where a join could be read two
// ways, both readings are kept and the first that reads whole is taken (joinedArgs).

import { afterPluginErrors, type ScannedLine } from './event-line';
import { parseKvmEvent, parseKvmEventWhole, type Fields } from './kvm-events';
import { isGraphRest } from './graph-line';

export interface Pending {
  e: ScannedLine;
  /** The joined arguments once the event spans several lines; null while it is one line. */
  joined: string | null;
  /**
   * What each join appended (the separator and the line), and where a join could be read two ways (a line
   * of a terminal's width cut mid-token, or a mailer's break that dropped its space), the other reading.
   */
  pieces: { text: string; other: string | null }[];
  line: number;
  endLine: number;
  start: number;
  end: number;
  /** Length of the last physical line: a hard terminal wrap fills the width. */
  lastLength: number;
  joins: number;
  /** A function_graph line (graph-line.ts): whole on its line, it never takes the next line as its rest. */
  graph: boolean;
  /** The levels of mail quoting its first line carried (line.ts quoteDepth): its rest carries as many. */
  quote: number;
}

/** A wrapped line is re-joined at most this many times: beyond, the text is something else. */
export const MAX_JOINS = 4;
/** Terminals and some mailers hard-wrap at 72-80 columns: a line that long may be cut mid-token, */
const HARD_WRAP_WIDTH = 70;
/**
 * and no longer than the classic width: a longer line was not cut by it (terminals copy a line they
 * wrapped on screen as one line; a mailer breaks at spaces, handled apart). Decided from the line alone, so
 * that the stored lines read again (reread.ts) join as they did at ingest.
 */
const CLASSIC_WIDTH = 80;

/** Whether a line `len` long, not ending at a space, may have been cut mid-token by a terminal's width. */
export function hardWrapped(len: number): boolean {
  return len >= HARD_WRAP_WIDTH && len <= CLASSIC_WIDTH;
}

/**
 * What joining `next` to the pending event's text `args` appends. A mailer breaks at a space (kept at the
 * line's end, or dropped); a terminal cuts at its width, mid-token, and every character of the next line
 * is the text's, its leading spaces too. A line of a terminal's width that does not end in a space may be
 * either (the other reading is kept: the tokenizer's flushPending tries it, through joinedArgs, where a
 * known payload does not read).
 */
export function joinPiece(p: Pending, args: string, next: string): { text: string; other: string | null } {
  const rest = next.trimStart();
  if (args.length === 0 || /\s$/.test(args)) return { text: rest, other: null };
  if (hexCut(args, next)) return { text: rest, other: null };
  // A payload that reads whole takes a line only where it reads on (continues): a cut inside its last value.
  if (hardWrapped(p.lastLength) || knownWhole(p.e.name, args) != null) {
    return rest.length === next.length ? { text: next, other: ' ' + rest } : { text: next, other: null };
  }
  // No format puts a space after an opening bracket or `=` (`(%s)`, `name=%d`): a break there is a cut.
  const last = args.charCodeAt(args.length - 1);
  if (last === 40 /* ( */ || last === 91 /* [ */ || last === 61 /* = */) return { text: rest, other: ' ' + rest };
  return { text: ' ' + rest, other: rest };
}

/**
 * Whether the held event's text looks cut before `next`. A KVM event whose payload Faultline reads
 * (kvm-events.ts) says so itself: cut short while it does not read, and whole once it does, unless `next`
 * completes its last value (a terminal's cut: `PC: 0xffff8000100` ⏎ `01000`). Other events: their text
 * ends in a space or in punctuation that expects more, it is as long as a terminal's width, or it ends
 * inside a hex value `next` completes.
 */
export function continues(p: Pending, next: string): boolean {
  const a = p.joined ?? p.e.args;
  if (a.length === 0) return true;
  if (a.includes('\n')) return false; // a stack trace is not wrapped text
  // trace-cmd report's funcgraph events broken after the overhead mark (`funcgraph_exit:       +`).
  if ((p.e.name === 'funcgraph_exit' || p.e.name === 'funcgraph_entry') && isGraphRest(next)) return true;
  const whole = knownWhole(p.e.name, a);
  if (whole != null) {
    // Whole: only the rest of its last value, cut by a terminal, continues it (one token, which the
    // payload then reads whole with a changed value). Prose, a prompt, a dmesg line do not.
    if (!(hardWrapped(p.lastLength) || hexCut(a, next)) || /\s/.test(next.trim())) return false;
    const joined = knownWhole(p.e.name, a + next);
    return joined != null && !sameFields(joined, whole);
  }
  // Cut short of its payload: the next line that is no event is its rest.
  if (whole === null && knownFields(p.e.name, a) === null) return true;
  const last = a.charCodeAt(a.length - 1);
  // space, tab, ':', ',', '=', '('
  if (last === 32 || last === 9 || last === 58 || last === 44 || last === 61 || last === 40) return true;
  return hardWrapped(p.lastLength) || hexCut(a, next);
}

/** A known KVM event's payload, read past trace-cmd's plugin messages: null if it does not read, undefined for other events. */
function knownFields(name: string, args: string): Fields | null | undefined {
  return parseKvmEvent(name, args.slice(afterPluginErrors(args, 0)));
}

/** The same, null unless the payload is all the text (kvm-events.ts parseKvmEventWhole). */
function knownWhole(name: string, args: string): Fields | null | undefined {
  return parseKvmEventWhole(name, args.slice(afterPluginErrors(args, 0)));
}

function sameFields(a: Fields, b: Fields): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Joins tried before the first reading is kept: each ambiguous join read both ways (MAX_JOINS of them: 16). */
const MAX_READINGS = 1 << MAX_JOINS;

/**
 * The arguments of an event joined from several lines, past trace-cmd's plugin messages (which a wrap may
 * have cut). Where its known payload does not read whole as joined, the other readings of its ambiguous
 * joins are tried, and the first that reads whole is taken.
 */
export function joinedArgs(p: Pending): string {
  const base = p.e.args;
  const strip = (t: string): string => t.slice(afterPluginErrors(t, 0));
  const first = strip(p.joined!);
  const ambiguous = p.pieces.filter((x) => x.other !== null).length;
  if (ambiguous === 0 || parseKvmEventWhole(p.e.name, first) !== null) return first;
  for (let mask = 1; mask < MAX_READINGS && mask < 1 << ambiguous; mask++) {
    let t = base;
    let bit = 0;
    for (const x of p.pieces) t += x.other !== null && mask & (1 << bit++) ? x.other : x.text;
    const reading = strip(t);
    if (parseKvmEventWhole(p.e.name, reading) != null) return reading;
  }
  return first;
}

/** A pending event read from one line that ends right after its timestamp: its name is on the next line. */
export function cutAfterTime(p: Pending): boolean {
  return p.joins === 0 && p.joined === null && p.e.argsAt >= p.e.text.length;
}

/** A pending event read from one line that ends in a word where its name would be: the name cut short. */
export function cutInName(p: Pending): boolean {
  return p.joins === 0 && p.joined === null && p.e.name === 'print' && /^[A-Za-z_][\w.-]*$/.test(p.e.args);
}

const HEX_VALUE_TAIL = /(?:^|[^0-9A-Za-z])0x([0-9a-fA-F]+)$/;
const HEX_HEAD = /^\s*([0-9a-fA-F]+)(?![0-9A-Za-z])/;

/**
 * A `0x` value cut by a wrap at any width: the digits before the break are not a whole 8 or 16, and with the
 * hex digits that open the next line they are (`hxfar 0xffff8000090` ⏎ `02000, pc …`).
 */
export function hexCut(args: string, next: string): boolean {
  const tail = HEX_VALUE_TAIL.exec(args);
  if (tail === null) return false;
  const head = HEX_HEAD.exec(next);
  if (head === null) return false;
  const a = tail[1]!.length;
  const total = a + head[1]!.length;
  return a !== 8 && a !== 16 && (total === 8 || total === 16);
}
