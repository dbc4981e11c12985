// Properties every text report must have (issue 8, "Done when"), checked on every report a test renders
// instead of comparing it with a stored copy. Each check returns the violations it found, so a test can also
// prove that the checker catches a broken text.
import { quoteLine } from '../../../main/core/report/text';
import type { Report } from '../../../main/core/report/types';

export const WIDTH = 72;

// The kernel's format strings for the "Mem abort info" block, all generations [Linux arch/arm64/mm/fault.c
// mem_abort_decode() and data_abort_decode(), as listed with their releases in DOMAIN.md §2].
export const MEM_ABORT_FORMATS: readonly string[] = [
  'Mem abort info:',
  '  ESR = 0x%08x',
  '  ESR = 0x%016lx',
  '  Exception class = %s, IL = %u bits',
  '  EC = 0x%02lx: %s, IL = %u bits',
  '  SET = %lu, FnV = %lu',
  '  EA = %lu, S1PTW = %lu',
  '  FSC = 0x%02lx: %s',
  'Data abort info:',
  '  Access size = %u byte(s)',
  '  SSE = %lu, SRT = %lu',
  '  SF = %lu, AR = %lu',
  '  ISV = 0, ISS = 0x%08lx',
  '  ISV = 0, ISS = 0x%08lx, ISS2 = 0x%08lx',
  '  CM = %lu, WnR = %lu',
  '  CM = %lu, WnR = %lu, TnD = %lu, TagAccess = %lu',
  '  GCS = %ld, Overlay = %lu, DirtyBit = %lu, Xs = %llu',
];

/** A printf format as an anchored regex: `%08x` -> 8 hex digits, `%lu` -> digits, `%s` -> text. */
export function formatRegex(format: string): RegExp {
  let re = '';
  for (const part of format.split(/(%0?\d*l{0,2}[xuds])/)) {
    const m = /^%(0?)(\d*)l{0,2}([xuds])$/.exec(part);
    if (!m) re += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (m[3] === 'x') re += m[2] ? `[0-9a-f]{${Number(m[2])}}` : '[0-9a-f]+';
    else if (m[3] === 's') re += '.+';
    else re += '-?\\d+';
  }
  return new RegExp(`^${re}$`);
}

const FORMAT_RES = MEM_ABORT_FORMATS.map(formatRegex);

export function matchesKernelFormat(line: string): boolean {
  return FORMAT_RES.some((re) => re.test(line));
}

/** Every violation of the text-report properties, empty when there is none. */
export function textViolations(report: Report, text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('does not end with a newline');
  const lines = text.split('\n').slice(0, -1);
  const quoted = new Set(report.findings.flatMap((f) => f.quotes.flatMap((q) => q.lines.map(quoteLine))));
  const urls = new Set(report.references.map((r) => r.url));
  lines.forEach((line, i) => {
    const at = `line ${i + 1} ${JSON.stringify(line)}`;
    if (/\s$/.test(line)) problems.push(`${at}: trailing whitespace`);
    if (!/^[\x20-\x7e]*$/.test(line)) problems.push(`${at}: not printable ASCII`);
    // Exempt: a quoted log line (kept whole), and a URL alone on its line (a link cannot be broken).
    if (line.length > WIDTH && !quoted.has(line) && !urls.has(line.trim())) problems.push(`${at}: ${line.length} columns`);
  });
  for (const f of report.findings) {
    for (const l of f.decode?.lines ?? []) if (!matchesKernelFormat(l)) problems.push(`decode line not in the kernel's format: ${JSON.stringify(l)}`);
    const block = (f.decode?.lines ?? []).map((l) => `  ${l}`).join('\n');
    if (block && !text.includes(`\n${block}\n`)) problems.push(`finding ${f.index}: decode block not printed whole`);
    for (const q of f.quotes) for (const l of q.lines) if (!lines.includes(quoteLine(l))) problems.push(`quoted line missing or altered: ${l}`);
  }
  problems.push(...footnoteViolations(report, lines.filter((l) => !quoted.has(l))));
  return problems;
}

/**
 * `[n]` citations in the body and the `[n] ` entries of the References section must match one to one. Quoted
 * log lines are left out by the caller: `kvm [2716]:` is a pid, not a citation.
 */
function footnoteViolations(report: Report, lines: readonly string[]): string[] {
  const problems: string[] = [];
  const refStart = lines.indexOf('References');
  const body = (refStart < 0 ? lines : lines.slice(0, refStart)).join('\n');
  const entries = refStart < 0 ? [] : lines.slice(refStart).filter((l) => /^\[\d+\] /.test(l)).map((l) => Number(/^\[(\d+)\]/.exec(l)?.[1]));
  const expected = report.references.map((r) => r.n);
  if (JSON.stringify(entries) !== JSON.stringify(expected)) problems.push(`footnote entries ${entries} but references ${expected}`);
  expected.forEach((n, i) => {
    if (n !== i + 1) problems.push(`footnote ${n} out of sequence`);
    if (!body.includes(`[${n}]`)) problems.push(`footnote [${n}] never cited in the body`);
  });
  for (const m of body.matchAll(/\[(\d+)\]/g)) if (!expected.includes(Number(m[1]))) problems.push(`[${m[1]}] cited but not listed`);
  return problems;
}

/** The column where the values of a key block start, for each of `keys` found at the start of a line. */
export function valueColumns(text: string, keys: readonly string[]): number[] {
  const lines = text.split('\n');
  return keys.map((k) => {
    const line = lines.find((l) => l.startsWith(`${k}:`));
    if (line === undefined) return -1;
    return line.length - line.slice(k.length + 1).trimStart().length;
  });
}
