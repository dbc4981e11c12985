// Which fault record a log line belongs to, for the log view's rows. Looked up for every visible row on
// every render: a search through every record was 100,000 comparisons a row for a storm of one fault,
// so the lines are indexed once per list of records.

export interface FaultSpan {
  readonly id: number;
  readonly line: number;
  readonly endLine: number;
}

/** The record covering each line (the first in `spans`' order where records overlap). */
export function indexSpans(spans: readonly FaultSpan[]): (lineNo: number) => FaultSpan | undefined {
  const byLine = new Map<number, FaultSpan>();
  for (const s of spans) {
    for (let l = s.line; l <= s.endLine; l++) if (!byLine.has(l)) byLine.set(l, s);
  }
  return (lineNo) => byLine.get(lineNo);
}
