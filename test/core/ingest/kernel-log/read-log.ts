// Test helper: a log text through the whole core path (splitter, tokenizer, logical lines, assembler).
import type { FaultRecord } from '../../../../main/core/ingest/fault-record';
import { detectDialect } from '../../../../main/core/ingest/lines/dialect';
import { LineSplitter } from '../../../../main/core/ingest/lines/line-splitter';
import { KernelLogReader } from '../../../../main/core/ingest/kernel-log/reader';
import type { ContextFact } from '../../../../main/core/ingest/kernel-log/assembler';

export interface ReadResult {
  readonly faults: FaultRecord[];
  readonly context: ContextFact[];
  readonly diagnostics: { id: string; line: number; message: string }[];
  readonly lines: number;
  /** The lines at which the boots after the first begin. */
  readonly bootStarts: readonly number[];
}

export function readLog(text: string, file = 'log'): ReadResult {
  const faults: FaultRecord[] = [];
  const context: ContextFact[] = [];
  const diagnostics: { id: string; line: number; message: string }[] = [];
  let lines = 0;
  const reader = new KernelLogReader(
    { file, dialect: detectDialect(text.split('\n')), yearHint: 2024 },
    {
      line: () => lines++,
      hostname: () => undefined,
      fault: (r) => faults.push(r),
      context: (c) => context.push(c),
      diagnostic: (id, line, message) => diagnostics.push({ id, line, message }),
    },
  );
  const splitter = new LineSplitter({ line: (t, n) => reader.line(t, n), problem: () => undefined });
  splitter.push(new TextEncoder().encode(text));
  splitter.end();
  reader.end();
  return { faults, context, diagnostics, lines, bootStarts: [...reader.bootStarts] };
}

export const hex = (v: bigint | null): string | null => (v === null ? null : `0x${v.toString(16)}`);
