// Search matches in a line of log text, as pieces to render (the text stays text: React escapes every piece,
// so a log line with markup shows as the characters it contains).

export interface Piece {
  readonly text: string;
  readonly hit: boolean;
}

/** Splits `text` at case-insensitive occurrences of any of `terms` (longest first where they overlap). */
export function highlightPieces(text: string, terms: readonly string[]): Piece[] {
  const ts = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (ts.length === 0 || text.length === 0) return [{ text, hit: false }];
  const lower = text.toLowerCase();
  const lowered = ts.map((t) => t.toLowerCase());
  const pieces: Piece[] = [];
  let i = 0;
  let plainFrom = 0;
  while (i < text.length) {
    const match = lowered.find((t) => lower.startsWith(t, i));
    if (match) {
      if (i > plainFrom) pieces.push({ text: text.slice(plainFrom, i), hit: false });
      pieces.push({ text: text.slice(i, i + match.length), hit: true });
      i += match.length;
      plainFrom = i;
    } else {
      i++;
    }
  }
  if (plainFrom < text.length) pieces.push({ text: text.slice(plainFrom), hit: false });
  return pieces;
}

/** The words of a search box as highlight terms (quoted phrases kept whole, FTS operators dropped). */
export function searchTerms(query: string): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(/"([^"]+)"|(\S+)/g)) {
    const t = (m[1] ?? m[2] ?? '').replace(/\*$/, '');
    if (t && !['AND', 'OR', 'NOT', 'NEAR'].includes(t)) out.push(t);
  }
  return out;
}

/**
 * A piece of a log line as one row shows it: a message of several lines (a journal entry's MESSAGE may
 * hold line breaks) keeps to its row, each break shown as a ↵ between the lines.
 */
export function rowText(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(/\r?\n|\r/g, ' ↵ ') : text;
}
