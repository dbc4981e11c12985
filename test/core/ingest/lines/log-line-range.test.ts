// The reader thread tokenizes a line where it lies in the decoded chunk (scan(text, start, end)) instead
// of as a string of its own. Whatever follows the line in the chunk must not change what is read: every
// line of every real log in ../shared/samples/logs and of the embedded bundles, and every cut of those
// lines' prefixes (where a search for `]`, `>` or `:` could run on into the next line), is read both ways
// and must give the same tokens.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { timeOf, type Cursor } from '../../../../main/core/ingest/lines/line-cursor';
import { LogLineTokenizer } from '../../../../main/core/ingest/lines/log-line';

const SAMPLES = join(__dirname, '../../../../../shared/samples/logs');
const EMBEDDED = join(__dirname, '../../../../resources/samples');

function logsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.md') && !e.name.endsWith('.dat'))
    .map((e) => join(e.parentPath, e.name));
}

/** What a scan found, with `pos` relative to the line's start. */
function tokens(c: Readonly<Cursor>, start: number): unknown[] {
  return [c.pos - start, timeOf(c), c.clock, c.cpu, c.pid, c.level, c.host, c.ident, c.prefixed];
}

// What may follow a line in a chunk: the characters the tokenizer looks for after a prefix.
const AFTER = ['\n]: [T12] 003: >', '\n] kernel: [ 1.5] x', '\n5>]:', '\n'];

function compare(lines: readonly string[], journalAfterBracket: boolean): number {
  const alone = new LogLineTokenizer({ yearHint: 2024, journalAfterBracket });
  const inside = new LogLineTokenizer({ yearHint: 2024, journalAfterBracket });
  let checked = 0;
  lines.forEach((line, i) => {
    const before = i % 3 === 0 ? '' : 'x]>\n';
    const text = before + line + AFTER[i % AFTER.length]!;
    const want = tokens(alone.scan(line, 0, line.length), 0);
    const got = tokens(inside.scan(text, before.length, before.length + line.length), before.length);
    if (JSON.stringify(got, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) !== JSON.stringify(want, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))) {
      expect({ line, got }).toEqual({ line, got: want });
    }
    checked++;
  });
  return checked;
}

describe('LogLineTokenizer.scan on a line inside a bigger text', () => {
  const files = [...logsUnder(SAMPLES), ...logsUnder(EMBEDDED)];

  it('reads every real line as it reads the line alone', () => {
    expect(files.length).toBeGreaterThan(10);
    let checked = 0;
    for (const f of files) {
      const lines = readFileSync(f, 'latin1').split('\n');
      checked += compare(lines, false) + compare(lines, true);
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('reads every cut of a line prefix as it reads the cut alone', () => {
    // Quoted pastes: `|` quotes only at the start of a line.
    const cuts: string[] = ['> | [    2.000000] not a pipe quote', '| [    1.000000] quoted'];
    for (const f of files) {
      for (const line of readFileSync(f, 'latin1').split('\n').slice(0, 40)) {
        for (let n = 1; n <= Math.min(line.length, 48); n++) cuts.push(line.slice(0, n));
      }
    }
    expect(compare(cuts, false) + compare(cuts, true)).toBeGreaterThan(10_000);
  });
});
