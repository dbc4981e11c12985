// Plain text for mailing lists: vger.kernel.org wants plain text wrapped at 75 columns
// (Documentation/process/submitting-patches.rst). Long lines of a column layout (`NAME  [hi:lo]  value  meaning`)
// wrap under their last column, so the table still reads as a table; a word longer than the width stays whole.

/** The column where a line's last column starts (after the last run of 2+ spaces), if it is a usable indent. */
function hangingIndent(line: string, width: number): number {
  const lead = /^\s*/.exec(line)?.[0].length ?? 0;
  let col = -1;
  for (const m of line.matchAll(/ {2,}(?=\S)/g)) {
    const at = (m.index ?? 0) + m[0].length;
    if (at > lead && at <= width / 2 + 10) col = at;
  }
  return col > 0 ? col : Math.min(lead + 4, Math.floor(width / 2));
}

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = ' '.repeat(hangingIndent(line, width));
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > width) {
    const room = rest.slice(0, width + 1);
    const minBreak = first ? 0 : indent.length + 1;
    let cut = room.lastIndexOf(' ');
    while (cut > minBreak && rest[cut - 1] === ' ') cut--; // break before a run of spaces, not inside it
    if (cut <= minBreak) {
      const next = rest.indexOf(' ', width);
      if (next < 0) break;
      cut = next;
    }
    out.push(rest.slice(0, cut).trimEnd());
    rest = indent + rest.slice(cut).trimStart();
    first = false;
  }
  out.push(rest);
  return out;
}

export function wrapForMail(text: string, width = 75): string {
  return text
    .split('\n')
    .flatMap((l) => wrapLine(l.trimEnd(), width))
    .join('\n');
}
