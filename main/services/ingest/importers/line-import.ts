// Shared loop of the line-based importers: bytes -> LineSplitter -> a per-line callback, with progress,
// cancellation and the splitter's problems reported as diagnostics.
import { LineSplitter, type LineProblem } from '../../../core/ingest/lines/line-splitter';
import type { ImportContext, ImportInput } from '../importer';

const PROBLEM_IDS: Readonly<Record<LineProblem, string>> = {
  'invalid-utf8': 'invalid-utf8',
  'line-truncated': 'line-truncated',
  'binary-junk': 'binary-junk',
};

/** Feeds every line of the input to `line`; returns the number of lines. */
export async function forEachLine(
  ctx: ImportContext,
  input: ImportInput,
  line: (text: string, lineNo: number) => void,
): Promise<number> {
  const splitter = new LineSplitter({
    line,
    problem: (kind, lineNo, detail) => ctx.diagnostic({ kind: PROBLEM_IDS[kind], line: lineNo, message: detail }),
  });
  for await (const chunk of input.chunks()) {
    ctx.signal.throwIfAborted();
    splitter.push(chunk);
    ctx.progress(splitter.bytes, splitter.lines);
  }
  splitter.end();
  ctx.progress(splitter.bytes, splitter.lines);
  return splitter.lines;
}
