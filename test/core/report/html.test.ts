// The HTML report as a string: self-contained (nothing to fetch), escaped everywhere bundle text appears, and
// carrying the model's lattice and timeline. test/e2e/report-html.test.ts opens it in Chromium.
import { describe, expect, it } from 'vitest';
import { escapeHtml, safeHref } from '../../../main/core/report/html-escape';
import { renderHtml, REPORT_CSP } from '../../../main/core/report/html';
import type { FaultInput } from '../../../main/core/report/input';
import { buildReport } from '../../../main/core/report/model';
import { hostileInput, record, seedFaults, seedInput } from './fixtures';

/** Every tag name the document opens. */
function tags(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => (m[1] as string).toLowerCase());
}

describe('HTML report', () => {
  it('is self-contained: strict CSP, no script, no external resource, only http(s) anchors', () => {
    const html = renderHtml(buildReport(seedInput()));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    const used = new Set(tags(html));
    for (const t of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'image', 'use', 'foreignobject']) expect(used.has(t)).toBe(false);
    expect(html).not.toMatch(/\bsrc=|url\(|@import|@font-face|xlink:href/i);
    // Anchors are the only references out, and they are not loaded at open.
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^(#ref-\d+|https:\/\/(git\.kernel\.org|lore\.kernel\.org)\/)/);
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('@media print');
  });

  it('escapes every piece of bundle text: markup in logs, names and prose creates no element', () => {
    const html = renderHtml(buildReport(hostileInput()));
    const used = tags(html);
    expect(used).not.toContain('script');
    expect(used).not.toContain('img');
    expect(used).not.toContain('i');
    expect(used.filter((t) => t === 'style')).toHaveLength(1);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<[^>]*onerror/i);
    expect(html).toContain('error: kvm run failed &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('logs/&lt;i&gt;0&lt;/i&gt;.log');
    expect(html).toContain('<title>Faultline report for bundle &lt;script&gt;alert(1)&lt;/script&gt;</title>');
  });

  it('draws the lattice from the model: the marked nodes are the replay\'s stage 1, stage 2 and result', () => {
    const html = renderHtml(buildReport(seedInput()));
    const svg = /<svg class="lattice"[^>]*>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('data-s1="Normal-NC"');
    expect(svg).toContain('data-s2="Device-nGnRE"');
    expect(svg).toContain('data-result="Device-nGnRE"');
    expect(html).toContain('class="mark mark-result mark-faults"');
    expect((html.match(/<circle class="node"/g) ?? []).length).toBe(7 * 3);
  });

  it('draws one timeline tick per pixel column and finding, however many faults', () => {
    const many: FaultInput[] = Array.from({ length: 5000 }, (_, i) => ({
      id: 1000 + i,
      count: 1,
      decode: null,
      replay: null,
      record: record({ kind: 'kvm_guest_fault', esr: 0x93c08004n, el: 2, timeNs: 4450000000000n + BigInt(i) * 1_000_000n, source: { file: 't', line: i + 1, endLine: i + 1 }, text: `kvm_guest_fault: ipa 0x${i.toString(16)}` }),
    }));
    const html = renderHtml(buildReport(seedInput({ faults: [...seedFaults, ...many] })));
    const ticks = (html.match(/<line class="fault /g) ?? []).length;
    expect(ticks).toBeGreaterThan(100);
    expect(ticks).toBeLessThanOrEqual(720 * 2);
    expect(html).toContain('<svg class="timeline"');
  });

  it('escapeHtml and safeHref', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001bc\td')).toBe('a\\x00b\\x1bc\td');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://lore.kernel.org/r/x@y')).toBe('https://lore.kernel.org/r/x@y');
    expect(safeHref('https://a" onmouseover="x')).toBeNull();
  });
});
