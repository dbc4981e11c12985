// Plain-text primitives for mail that vger.kernel.org accepts (Documentation/process/submitting-patches.rst:
// plain text, wrapped at 75 columns; we wrap at 72 as most people do), ASCII only, no trailing whitespace.

export const TEXT_WIDTH = 72;

// Typographic characters that prose from rules and bundles may carry, with their ASCII spelling.
// Anything else outside printable ASCII becomes `?` in prose (quoted log lines escape it instead).
const ASCII_PROSE: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u2018\u2019\u201a\u2032]/g, "'"],
  [/[\u201c\u201d\u201e\u2033]/g, '"'],
  [/[\u2013\u2212]/g, '-'],
  [/\u2014/g, '--'],
  [/\u2026/g, '...'],
  [/\u2192/g, '->'],
  [/\u2190/g, '<-'],
  [/\u21d2/g, '=>'],
  [/\u2264/g, '<='],
  [/\u2265/g, '>='],
  [/\u2260/g, '!='],
  [/\u00d7/g, 'x'],
  [/\u00b5/g, 'u'],
  [/\u00a0/g, ' '],
];

/** Prose made ASCII: typographic punctuation spelled out, tabs and control characters as spaces. */
export function asciiProse(text: string): string {
  let t = text;
  for (const [re, ascii] of ASCII_PROSE) t = t.replace(re, ascii);
  return t.replace(/[\t\r\n\v\f]/g, ' ').replace(/[^\x20-\x7e]/g, '?');
}

/**
 * A log line made ASCII without losing information: tabs expanded to 8-column stops (so the width a reader
 * sees is the width we measure), every other character outside printable ASCII written as `\xNN` or `\u{N}`,
 * trailing whitespace dropped. Nothing else changes: quoted lines are never re-wrapped.
 */
export function asciiQuote(text: string): string {
  let out = '';
  for (const ch of text.replace(/\s+$/, '')) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
  }
  return out;
}

/**
 * Greedy word wrap of one paragraph. `first` and `rest` are the indents of the first and following lines.
 * A word longer than the room left (a URL) stays whole on its own line: breaking it would break the link.
 */
export function wrap(text: string, width = TEXT_WIDTH, first = '', rest = first): string[] {
  const words = asciiProse(text).split(' ').filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}

export interface KeyRow {
  readonly key: string;
  /** Each value starts a new line at the value column; long ones wrap there. */
  readonly values: readonly string[];
}

/**
 * An aligned key block, as syzbot writes its reports (`HEAD commit:    …`, `git tree:       …`): keys with a
 * colon, every value starting in the same column, continuation lines indented to that column.
 */
export function keyBlock(rows: readonly KeyRow[], indent = '', width = TEXT_WIDTH): string[] {
  const keyWidth = Math.max(0, ...rows.map((r) => r.key.length + 1));
  const column = indent + ' '.repeat(keyWidth + 2);
  const out: string[] = [];
  for (const row of rows) {
    row.values.forEach((value, i) => {
      const lead = i === 0 ? indent + `${row.key}:`.padEnd(keyWidth + 2) : column;
      const lines = wrap(value, width, lead, column + '  ');
      out.push(...(lines.length > 0 ? lines : [lead.trimEnd()]));
    });
  }
  return out;
}

/** A section title underlined with `-` (or `=` for the report title), as plain-text mail does. */
export function heading(title: string, mark: '-' | '=' = '-'): string[] {
  const t = asciiProse(title);
  return [t, mark.repeat(Math.min(t.length, TEXT_WIDTH))];
}

/** Shortens the middle of a path so that `prefix + path + suffix` fits the width. */
export function fitPath(path: string, room: number): string {
  const p = asciiProse(path);
  if (p.length <= room || room < 8) return p;
  const keep = room - 3;
  const head = Math.ceil(keep / 3);
  return p.slice(0, head) + '...' + p.slice(p.length - (keep - head));
}
