// Import diagnostics of one bundle: every occurrence counted, the first few per file and kind kept as
// examples with their line, the rest folded into one counted row (a file of a million bad lines must not
// write a million rows).
import { describeDiagnostic } from '../../core/ingest/diagnostics';
import type { CountedDiagnostic } from '../../storage/ingest';

const EXAMPLES_PER_FILE_AND_KIND = 5;

interface Group {
  readonly rows: CountedDiagnostic[];
  extra: number;
  lastMessage: string;
}

export class DiagnosticsCollector {
  private readonly groups = new Map<string, Group>();

  add(kind: string, file: string | null, line: number | null, message: string): void {
    const key = `${kind}\0${file ?? ''}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { rows: [], extra: 0, lastMessage: message };
      this.groups.set(key, g);
    }
    if (g.rows.length < EXAMPLES_PER_FILE_AND_KIND) {
      g.rows.push({ kind, severity: describeDiagnostic(kind).severity, file, line, message, count: 1 });
    } else {
      g.extra++;
      g.lastMessage = message;
    }
  }

  /** Rows to store, and forgets them. */
  drain(): CountedDiagnostic[] {
    const out: CountedDiagnostic[] = [];
    for (const g of this.groups.values()) {
      out.push(...g.rows);
      if (g.extra > 0) {
        const first = g.rows[0]!;
        out.push({ ...first, line: null, message: `${g.extra} more like this (last: ${g.lastMessage})`, count: g.extra });
      }
    }
    this.groups.clear();
    return out;
  }
}
