// A multi-line fault block being read: a table of line rules (regex -> what it fills in, in the order the
// kernel prints them), the lines it tolerates without reading, and when it ends. Block kinds are data
// (oops.ts, panic.ts, devices.ts); this file is the machinery they share.
import type { LogicalLine } from '../logical-lines';
import type { Draft } from '../draft';

/**
 * What a line does to an open block: `absorbed` (it belongs), `ended` (it belongs and is the last),
 * `restart` (it starts another record of the same kind: close this one, then read the line again),
 * `foreign` (not part of this block: another driver's printk, a shell prompt, ...).
 */
export type FeedResult = 'absorbed' | 'ended' | 'restart' | 'foreign';

/** The line as blocks see it: the body, and the pid of a `kvm [pid]: ` prefix when there was one. */
export interface LineView {
  readonly line: LogicalLine;
  readonly body: string;
  readonly kvmPid: number | null;
}

export interface Rule<S> {
  readonly re: RegExp;
  /** Fills the block from the match; returns how the line ends up (default `absorbed`). */
  readonly apply?: (state: S, m: RegExpExecArray, view: LineView) => FeedResult | void;
}

export interface BlockSpec<S> {
  readonly name: string;
  /** Consecutive foreign lines after which the block is over (interleaved printk tolerated below it). */
  readonly idleLimit: number;
  readonly rules: readonly Rule<S>[];
  /** The record, or null when what was read is not a fault after all. */
  finish(state: S): Draft | null;
}

export interface BlockState {
  readonly draft: Draft;
}

/** An open block as the assembler sees it, whatever its state type. */
export interface OpenBlock {
  readonly stream: string;
  readonly draft: Draft;
  readonly idleLimit: number;
  idle: number;
  feed(view: LineView): FeedResult;
  finish(): Draft | null;
}

export class Block<S extends BlockState = BlockState> implements OpenBlock {
  idle = 0;

  constructor(
    readonly spec: BlockSpec<S>,
    readonly state: S,
    /** Routing key: the CPU or printk caller the block's lines carry ('' when they carry none). */
    readonly stream: string,
  ) {}

  get draft(): Draft {
    return this.state.draft;
  }

  get idleLimit(): number {
    return this.spec.idleLimit;
  }

  feed(view: LineView): FeedResult {
    for (const rule of this.spec.rules) {
      const m = rule.re.exec(view.body);
      if (m === null) continue;
      const result = rule.apply?.(this.state, m, view) ?? 'absorbed';
      if (result === 'absorbed' || result === 'ended') {
        this.idle = 0;
        if (view.line.endLineNo > this.state.draft.endLine) this.state.draft.endLine = view.line.endLineNo;
      }
      return result;
    }
    return 'foreign';
  }

  finish(): Draft | null {
    return this.spec.finish(this.state);
  }
}

/** `kvm [307]: nVHE hyp BUG at: ...` -> body `nVHE hyp BUG at: ...`, kvmPid 307. */
const KVM_PREFIX = /^kvm \[(\d+)\]: ?/;

export function viewOf(line: LogicalLine): LineView {
  const body = line.body;
  if (body.charCodeAt(0) === 107 /* k */ && body.startsWith('kvm [')) {
    const m = KVM_PREFIX.exec(body);
    if (m) return { line, body: body.slice(m[0].length).trimStart(), kvmPid: Number(m[1]) };
  }
  return { line, body, kvmPid: null };
}
