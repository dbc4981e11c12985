// The events of a stored text trace read again: storage keeps an ftrace text's raw lines (chunk.ts), not
// parsed arguments, and a query reads a chunk's lines back through the same tokenizer that read them at
// ingest (tokenizer.ts), so that they join and split as they did then.

import { FtraceTokenizer } from './tokenizer';

/** The events of a stored text (the raw lines of a chunk), read again: their arguments in order. */
export function rereadArgs(text: string): string[] {
  return [...rereadArgsByLine(text).values()];
}

/**
 * The same, by the line each event starts on (1: the text's first line). A chunk's text runs from its
 * first event's line, so a stored event's arguments are found by its own line, whatever else the text
 * holds: read without the file's header, a line that was not an event at ingest (a graph-shaped line
 * under another tracer's header) may be read as one here, and must not shift the others.
 */
export function rereadArgsByLine(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const t = new FtraceTokenizer({
    event: (e, line) => out.set(line, e.args),
    marker: () => undefined,
    other: () => undefined,
    wrapped: () => undefined,
  });
  t.push(text);
  t.end();
  return out;
}
