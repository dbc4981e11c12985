// The plain-text report: what a kernel engineer pastes into a reply on a vger list as is. ASCII only, wrapped
// at 72 columns, no trailing whitespace; quoted log lines kept whole (indented, never re-wrapped); an aligned
// key block as syzbot writes; the decode in the kernel's own "Mem abort info" layout; `[n]` footnotes with
// commits in the `<sha> ("subject")` form and `Link:` lines (DOMAIN.md §6, submitting-patches.rst).
import { clockNote, hex, linuxSeries, linuxVersion, listing, plural } from './format';
import type { ReportReference } from './references';
import type { DecodeBlock, DiagnosisBlock, Finding, QuoteBlock, ReplayBlock, Report, ReportDiagnostic } from './types';
import { asciiProse, asciiQuote, fitPath, heading, keyBlock, TEXT_WIDTH, wrap } from './wrap';

/** Indent of a quoted log line: the line itself follows, whole. */
export const QUOTE_INDENT = '    ';

/** How a log line appears in the text report (tests use it to recognise quoted lines). */
export function quoteLine(text: string): string {
  return (QUOTE_INDENT + asciiQuote(text)).trimEnd();
}

function paragraphs(texts: readonly string[], indent = ''): string[] {
  const out: string[] = [];
  for (const t of texts) {
    if (out.length > 0) out.push('');
    out.push(...wrap(t, TEXT_WIDTH, indent));
  }
  return out;
}

function quoteLines(blocks: readonly QuoteBlock[], unquoted: number): string[] {
  if (blocks.length === 0) return [];
  const out = ['Quoted from the bundle (file:line), as found:', ''];
  for (const b of blocks) {
    const range = b.first === b.last ? `${b.first}` : `${b.first}-${b.last}`;
    out.push(`  ${fitPath(b.file, TEXT_WIDTH - 4 - range.length)}:${range}:`);
    out.push(...b.lines.map(quoteLine));
  }
  if (unquoted > 0) out.push('', ...wrap(`(${plural(unquoted, 'more fault')} like these not quoted.)`, TEXT_WIDTH, '  '));
  return out;
}

function decodeLines(d: DecodeBlock): string[] {
  const layout = d.kernel ? `as ${linuxSeries(d.kernel)} prints it` : 'as the newest Linux prints it';
  const what = d.summary ? ` (${d.summary})` : '';
  const out = wrap(`${d.register} ${hex(d.esr)}${what} in the kernel's "Mem abort info" layout of arch/arm64/mm/fault.c, ${layout}:`);
  out.push('', ...d.lines.map((l) => `  ${asciiProse(l)}`.trimEnd()));
  for (const w of d.warnings) out.push('', ...wrap(`Note: ${w}`, TEXT_WIDTH, '  ', '    '));
  return out;
}

const MARK = (on: boolean, text: string): string => (on ? text : '.').padEnd(4);

function latticeLines(r: ReplayBlock): string[] {
  const c = r.combine;
  if (!c || !r.lattice) return [];
  const width = Math.max(...r.lattice.map((row) => row.node.length)) + 2;
  const out = ['  Memory type lattice, weakest first; the stronger type wins:', ''];
  out.push(`    ${''.padEnd(width)}S1  S2  result`);
  for (const row of r.lattice) out.push(`    ${row.node.padEnd(width)}${MARK(row.s1, 'S1')}${MARK(row.s2, 'S2')}${row.result ? '=' : '.'}`);
  out.push('');
  const s1 = `S1 ${c.s1.encoding ? `${c.s1.encoding} ` : ''}(${c.s1.label})`;
  const s2 = `S2 ${c.s2.encoding ? `${c.s2.encoding} ` : ''}(${c.s2.label})${c.fwb ? ' with FWB' : ''}`;
  out.push(...wrap(`${s1} and ${s2} combine to ${c.result.label}.`, TEXT_WIDTH, '  ', '    '));
  out.push(...wrap(`Rule ${c.rule.id} (ASL ${c.rule.asl}): ${c.rule.text}`, TEXT_WIDTH, '  ', '    '));
  if (c.alignmentFaultStage !== null) {
    out.push(...wrap(`An unaligned access to this memory takes a stage-${c.alignmentFaultStage} alignment fault.`, TEXT_WIDTH, '  ', '    '));
  }
  return out;
}

function replayLines(r: ReplayBlock): string[] {
  const predicted = r.predictedEsr === null ? '' : ` Predicted ESR ${hex(r.predictedEsr)}${r.matchesRecorded === null ? '' : r.matchesRecorded ? ', the recorded value.' : ', not the recorded value.'}`;
  const out = wrap(`Replay in the two-stage MMU model: ${r.verdictText}.${predicted}`);
  if (r.summary) out.push(...wrap(r.summary, TEXT_WIDTH, '  ', '  '));
  if (r.inputs.length > 0) {
    out.push('', `  Inputs (${r.counts.recorded} recorded in the bundle, ${r.counts.assumed} assumed):`);
    for (const i of r.inputs) {
      const note = i.note ? `: ${i.note}` : '';
      out.push(...wrap(`${i.name} = ${i.value} [${i.origin}${note}]`, TEXT_WIDTH, '    - ', '      '));
    }
  }
  const lattice = latticeLines(r);
  if (lattice.length > 0) out.push('', ...lattice);
  return out;
}

function citeRefs(nums: readonly number[]): string {
  return nums.map((n) => `[${n}]`).join('');
}

function diagnosisLines(d: DiagnosisBlock, refs: readonly ReportReference[]): string[] {
  const byN = new Map(refs.map((r) => [r.n, r]));
  const mine = d.refs.map((n) => byN.get(n)).filter((r): r is ReportReference => r !== undefined);
  const sentences: string[] = [`Diagnosis (rule ${d.ruleId}).`];
  const fixes = mine.filter((r) => r.kind === 'commit' && r.role === 'fix');
  if (fixes.length > 0) {
    const commits = listing(fixes.map((r) => `${r.text} [${r.n}]`));
    sentences.push(`Fixed${d.fixedIn ? ` in ${linuxVersion(d.fixedIn)}` : ''} by ${fixes.length > 1 ? 'commits' : 'commit'} ${commits}.`);
  } else if (d.fixedIn) sentences.push(`Fixed in ${linuxVersion(d.fixedIn)}.`);
  for (const r of mine.filter((x) => x.kind === 'commit' && x.role === 'introduced')) sentences.push(`Introduced by commit ${r.text} [${r.n}].`);
  const other = mine.filter((r) => r.kind !== 'commit' || r.role === 'related');
  if (other.length > 0) sentences.push(`See also ${citeRefs(other.map((r) => r.n))}.`);
  const out = wrap(sentences.join(' '));
  if (d.action) out.push('', ...wrap(`What to do: ${d.action}`));
  if (d.sources.length > 0) out.push('', ...wrap(`Sources: ${d.sources.join('; ')}.`));
  return out;
}

function limitLines(limits: readonly ReportDiagnostic[], indent: string): string[] {
  return limits.flatMap((l) => {
    const where = l.where ? ` (first at ${l.where})` : '';
    return wrap(`${l.severity}, ${l.kind} x${l.count}: ${l.message}${where}`, TEXT_WIDTH, `${indent}- `, `${indent}  `);
  });
}

function findingLines(f: Finding, total: number, refs: readonly ReportReference[]): string[] {
  const title = wrap(`${f.index}/${total} [${f.severity}] ${f.title}`);
  const out = [...title, '-'.repeat(Math.min(TEXT_WIDTH, Math.max(...title.map((t) => t.length)))), ''];
  out.push(...paragraphs(f.summary));
  if (f.facts.length > 0) out.push('', ...keyBlock(f.facts));
  const sections: string[][] = [quoteLines(f.quotes, f.unquoted)];
  if (f.decode) sections.push(decodeLines(f.decode));
  if (f.replay) sections.push(replayLines(f.replay));
  if (f.diagnosis) sections.push(diagnosisLines(f.diagnosis, refs));
  if (f.limits.length > 0) sections.push(['Import diagnostics on these files limit what can be concluded:', ...limitLines(f.limits, '  ')]);
  for (const s of sections) if (s.length > 0) out.push('', ...s);
  return out;
}

/**
 * Where a URL goes under its footnote: `Link: <url>` at the footnote's indent when that fits, else the URL
 * alone there, else at the left margin. A URL is never broken; one longer than the width stays whole.
 */
export function linkLine(url: string, indent: string): string {
  const u = asciiProse(url);
  for (const candidate of [`${indent}Link: ${u}`, `${indent}${u}`]) if (candidate.length <= TEXT_WIDTH) return candidate;
  return u;
}

/** A reference as a footnote: `[n] commit <sha> ("subject"), in Linux X.Y`, then its link. */
function referenceLines(r: ReportReference): string[] {
  const role = r.role === 'introduced' ? ', introduced the problem' : '';
  const text = r.kind === 'commit' ? `commit ${r.text}${role}${r.version ? `, in ${linuxVersion(r.version)}` : ''}` : `"${r.text}"`;
  const indent = ' '.repeat(`[${r.n}] `.length);
  return [...wrap(text, TEXT_WIDTH, `[${r.n}] `, indent), linkLine(r.url, indent)];
}

/** Renders the report as plain text for mail: every line ends in `\n`. */
export function renderText(report: Report): string {
  const out: string[] = [...heading(report.title, '='), '', ...wrap(report.overview), '', ...keyBlock(report.header)];
  report.findings.forEach((f) => out.push('', '', ...findingLines(f, report.findings.length, report.references)));
  if (report.diagnostics.length > 0 || report.infoDiagnostics > 0) {
    out.push('', '', ...heading('Import diagnostics'), '');
    if (report.diagnostics.length > 0) out.push(...wrap('What the import could not read, which limits what can be concluded:'), ...limitLines(report.diagnostics, ''));
    if (report.infoDiagnostics > 0) out.push(...wrap(`${plural(report.infoDiagnostics, 'informational note')} not listed.`));
  }
  if (report.references.length > 0) {
    out.push('', '', ...heading('References'), '');
    for (const r of report.references) out.push(...referenceLines(r));
  }
  const clock = report.timeline ? ` ${clockNote(report.timeline.clock)}` : '';
  out.push('', ...wrap(`Generated by ${report.generator} from the bundle alone; nothing was uploaded.${clock}`));
  return out.map((l) => l.trimEnd()).join('\n') + '\n';
}
