// Shared loop of the small line-based importers (lspci, host files, kernel config): bytes -> LineSplitter
// -> every line stored and handed to a callback, with progress, cancellation and the splitter's problems
// reported as diagnostics. Kernel and VMM logs have their own path (kernel-log.ts, LogLineSource).
import { LineSplitter, type LineProblem } from '../../../core/ingest/lines/line-splitter';
import { LineWriter } from '../../../storage/lines';
import type { ImportContext, ImportInput } from '../importer';

const PROBLEM_IDS: Readonly<Record<LineProblem, string>> = {
  'invalid-utf8': 'invalid-utf8',
  'line-truncated': 'line-truncated',
  'binary-junk': 'binary-junk',
};

/**
 * Stores every line of the input as it is (these files carry no timestamps) and feeds it to `line`;
 * returns the number of lines. The lines read before a failure stay stored.
 */
export async function storeEachLine(ctx: ImportContext, input: ImportInput, line: (text: string, lineNo: number) => void): Promise<number> {
  const writer = new LineWriter(ctx.db, ctx.fileId);
  const splitter = new LineSplitter({
    line: (text, lineNo) => {
      writer.add(lineNo, null, null, null, null, text);
      line(text, lineNo);
    },
    problem: (kind, lineNo, detail) => ctx.diagnostic({ kind: PROBLEM_IDS[kind], line: lineNo, message: detail }),
  });
  try {
    for await (const chunk of input.chunks()) {
      ctx.signal.throwIfAborted();
      splitter.push(chunk);
      ctx.progress(splitter.bytes, splitter.lines);
    }
    splitter.end();
    ctx.progress(splitter.bytes, splitter.lines);
  } finally {
    writer.finish();
  }
  return splitter.lines;
}
