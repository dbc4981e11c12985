// The HTML report: one self-contained file to attach to a ticket or host. Inline CSS and SVG only, no script,
// no font, image or stylesheet fetched at open (the CSP meta forbids it too), light/dark aware, printable.
// Every string that comes from the bundle goes through escapeHtml; the structure around it is fixed text.
import { clockNote, hex, linuxSeries, linuxVersion, listing, plural } from './format';
import { attr, escapeHtml, safeHref } from './html-escape';
import { REPORT_CSS } from './html-style';
import type { ReportReference } from './references';
import { renderLatticeSvg } from './svg-lattice';
import { renderTimelineSvg } from './svg-timeline';
import type { DecodeBlock, DiagnosisBlock, Finding, KeyRow, QuoteBlock, ReplayBlock, Report, ReportDiagnostic } from './types';

/** The report's Content-Security-Policy: nothing may load; inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const esc = escapeHtml;

function keys(rows: readonly KeyRow[], cls = 'keys'): string {
  const items = rows.map((r) => `<dt>${esc(r.key)}</dt><dd>${r.values.map((v) => `<div>${esc(v)}</div>`).join('')}</dd>`);
  return `<dl class="${cls}">${items.join('')}</dl>`;
}

function cite(n: number): string {
  return `<a href="#ref-${n}">[${n}]</a>`;
}

function quotes(blocks: readonly QuoteBlock[], unquoted: number): string {
  if (blocks.length === 0) return '';
  const figs = blocks.map((b) => {
    const range = b.first === b.last ? `${b.first}` : `${b.first}-${b.last}`;
    return `<figure class="quote"><figcaption class="mono">${esc(b.file)}:${range}</figcaption><pre>${b.lines.map(esc).join('\n')}</pre></figure>`;
  });
  const more = unquoted > 0 ? `<p class="muted">${esc(plural(unquoted, 'more fault'))} like these not quoted.</p>` : '';
  return `<h3>Quoted from the bundle, as found</h3>${figs.join('')}${more}`;
}

function decode(d: DecodeBlock): string {
  const layout = d.kernel ? `as ${linuxSeries(d.kernel)} prints it` : 'as the newest Linux prints it';
  const what = d.summary ? ` (${d.summary})` : '';
  const warnings = d.warnings.map((w) => `<p class="muted">Note: ${esc(w)}</p>`).join('');
  return (
    `<h3>Decode of ${esc(d.register)} ${esc(hex(d.esr))}</h3>` +
    `<p>${esc(`${d.register} ${hex(d.esr)}${what}`)} in the kernel's &ldquo;Mem abort info&rdquo; layout of ` +
    `<code>arch/arm64/mm/fault.c</code>, ${esc(layout)}:</p><pre class="decode">${d.lines.map(esc).join('\n')}</pre>${warnings}`
  );
}

function replay(r: ReplayBlock, idPrefix: string): string {
  const predicted =
    r.predictedEsr === null
      ? ''
      : ` Predicted ESR <code>${esc(hex(r.predictedEsr))}</code>${r.matchesRecorded === null ? '' : r.matchesRecorded ? ', the recorded value.' : ', not the recorded value.'}`;
  const rows = r.inputs.map(
    (i) =>
      `<tr><td class="mono">${esc(i.name)}</td><td class="mono">${esc(i.value)}</td>` +
      `<td><span class="origin origin-${i.origin}">${i.origin}</span></td><td>${esc(i.note ?? '')}</td></tr>`,
  );
  const table = rows.length
    ? `<table class="inputs"><caption class="muted">Inputs: ${r.counts.recorded} recorded in the bundle, ${r.counts.assumed} assumed</caption>` +
      `<tr><th>input</th><th>value</th><th>origin</th><th>why</th></tr>${rows.join('')}</table>`
    : '';
  const c = r.combine;
  const rule = c
    ? `<p>${esc(`Stage 1 ${c.s1.label}${c.s1.encoding ? ` (${c.s1.encoding})` : ''} and stage 2 ${c.s2.label}${c.s2.encoding ? ` (${c.s2.encoding})` : ''}${c.fwb ? ' with FWB' : ''} combine to ${c.result.label}.`)}` +
      ` Rule <code>${esc(c.rule.id)}</code> (ASL <code>${esc(c.rule.asl)}</code>): ${esc(c.rule.text)}` +
      (c.alignmentFaultStage !== null ? ` An unaligned access to this memory takes a stage-${c.alignmentFaultStage} alignment fault.` : '') +
      '</p>'
    : '';
  return (
    `<h3>Replay in the two-stage MMU model</h3><p><strong>${esc(r.verdictText)}</strong>.${predicted}</p>` +
    (r.summary ? `<p>${esc(r.summary)}</p>` : '') +
    table +
    renderLatticeSvg(r, idPrefix) +
    rule
  );
}

function diagnosis(d: DiagnosisBlock, refs: ReadonlyMap<number, ReportReference>): string {
  const mine = d.refs.map((n) => refs.get(n)).filter((r): r is ReportReference => r !== undefined);
  const fixes = mine.filter((r) => r.kind === 'commit' && r.role === 'fix');
  const parts: string[] = [];
  if (fixes.length > 0) {
    const list = listing(fixes.map((r) => `<code>${esc(r.text)}</code> ${cite(r.n)}`));
    parts.push(`Fixed${d.fixedIn ? ` in ${esc(linuxVersion(d.fixedIn))}` : ''} by ${fixes.length > 1 ? 'commits' : 'commit'} ${list}.`);
  } else if (d.fixedIn) parts.push(`Fixed in ${esc(linuxVersion(d.fixedIn))}.`);
  for (const r of mine.filter((x) => x.kind === 'commit' && x.role === 'introduced')) parts.push(`Introduced by commit <code>${esc(r.text)}</code> ${cite(r.n)}.`);
  const other = mine.filter((r) => r.kind !== 'commit' || r.role === 'related');
  if (other.length > 0) parts.push(`See also ${other.map((r) => cite(r.n)).join(' ')}.`);
  return (
    `<h3>Diagnosis</h3><p>Rule <code>${esc(d.ruleId)}</code>. ${parts.join(' ')}</p>` +
    (d.action ? `<p><strong>What to do:</strong> ${esc(d.action)}</p>` : '') +
    (d.sources.length > 0 ? `<p class="muted">Sources: ${d.sources.map(esc).join('; ')}.</p>` : '')
  );
}

function limits(list: readonly ReportDiagnostic[]): string {
  const items = list.map(
    (l) => `<li><span class="mono">${esc(l.severity)}, ${esc(l.kind)} &times;${l.count}</span>: ${esc(l.message)}${l.where ? ` <span class="muted mono">(first at ${esc(l.where)})</span>` : ''}</li>`,
  );
  return `<ul class="limits">${items.join('')}</ul>`;
}

function finding(f: Finding, total: number, refs: ReadonlyMap<number, ReportReference>): string {
  const id = `finding-${f.index}`;
  return (
    `<section class="finding sev-${f.severity}" ${attr('id', id)} ${attr('data-finding', f.id)}>` +
    `<h2><span class="badge sev-${f.severity}">${f.severity}</span> ${f.index}/${total} ${esc(f.title)}</h2>` +
    f.summary.map((p) => `<p>${esc(p)}</p>`).join('') +
    keys(f.facts) +
    quotes(f.quotes, f.unquoted) +
    (f.decode ? decode(f.decode) : '') +
    (f.replay ? replay(f.replay, id) : '') +
    (f.diagnosis ? diagnosis(f.diagnosis, refs) : '') +
    (f.limits.length > 0 ? `<h3>What limits these conclusions</h3>${limits(f.limits)}` : '') +
    '</section>'
  );
}

function reference(r: ReportReference): string {
  const role = r.role === 'introduced' ? ', introduced the problem' : '';
  const text =
    r.kind === 'commit'
      ? `commit <code>${esc(r.text)}</code>${role}${r.version ? `, in ${esc(linuxVersion(r.version))}` : ''}`
      : `&ldquo;${esc(r.text)}&rdquo;`;
  const href = safeHref(r.url);
  const link = href ? `<a ${attr('href', href)} rel="noreferrer noopener">${esc(r.url)}</a>` : `<span class="mono">${esc(r.url)}</span>`;
  return `<li ${attr('id', `ref-${r.n}`)} ${attr('value', r.n)}>${text}<br>Link: ${link}</li>`;
}

/** Renders the report as one self-contained HTML document. */
export function renderHtml(report: Report): string {
  const refs = new Map(report.references.map((r) => [r.n, r]));
  const timeline = report.timeline ? renderTimelineSvg(report.timeline) : '';
  const diag =
    report.diagnostics.length > 0 || report.infoDiagnostics > 0
      ? `<section class="diagnostics"><h2>Import diagnostics</h2>` +
        (report.diagnostics.length > 0 ? `<p>What the import could not read, which limits what can be concluded:</p>${limits(report.diagnostics)}` : '') +
        (report.infoDiagnostics > 0 ? `<p class="muted">${esc(plural(report.infoDiagnostics, 'informational note'))} not listed.</p>` : '') +
        '</section>'
      : '';
  const references = report.references.length
    ? `<section class="references"><h2>References</h2><ol class="refs">${report.references.map(reference).join('')}</ol></section>`
    : '';
  const clock = report.timeline ? ` ${esc(clockNote(report.timeline.clock))}` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // A constant without double quotes: written as is, so that the policy reads the same in the file.
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta name="generator" ${attr('content', report.generator)}>`,
    `<title>${esc(report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(report.title)}</h1><p>${esc(report.overview)}</p>${keys(report.header)}</header>`,
    timeline ? `<section class="timeline-section"><h2>Timeline</h2>${timeline}</section>` : '',
    report.findings.map((f) => finding(f, report.findings.length, refs)).join('\n'),
    diag,
    references,
    `<footer>Generated by ${esc(report.generator)} from the bundle alone; nothing was uploaded.${clock}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
