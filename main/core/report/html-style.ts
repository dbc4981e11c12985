// The HTML report's only stylesheet, inlined: system fonts (nothing loaded), light and dark themes from
// prefers-color-scheme, and a print layout (black on white, long lines wrapped instead of cut, no page break
// inside a quote or a figure). This text is fixed: no bundle data is ever interpolated into it.
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #5b6470; --border: #d7dce2; --panel: #f5f7f9; --accent: #2f6fdb;
  --critical: #b42318; --error: #c4320a; --warning: #a15c07; --info: #3b6fb6;
  --s1: #2f6fdb; --s2: #c2410c; --result: #15803d; --faulting: #b42318; --events: #9fb3c8;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 15px; line-height: 1.45;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15181c; --fg: #e6e9ed; --muted: #9aa4b0; --border: #2c3238; --panel: #1d2126; --accent: #6ea1ff;
    --critical: #ff8a80; --error: #ffab70; --warning: #f5c451; --info: #8ab4f8;
    --s1: #6ea1ff; --s2: #ff9f5a; --result: #5fd38d; --faulting: #ff8a80; --events: #3d5166;
  }
}
body { margin: 0 auto; max-width: 980px; padding: 24px; background: var(--bg); color: var(--fg); }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--border); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p { margin: 6px 0; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 8px 10px; overflow-x: auto; margin: 4px 0; }
.muted { color: var(--muted); }
dl.keys { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.keys dt { color: var(--muted); }
dl.keys dd { margin: 0; }
dl.keys dd div + div { margin-top: 2px; }
.badge { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 12px; font-weight: 600; text-transform: uppercase;
  color: var(--bg); vertical-align: 2px; }
.badge.sev-critical { background: var(--critical); } .badge.sev-error { background: var(--error); }
.badge.sev-warning { background: var(--warning); } .badge.sev-info { background: var(--info); }
.origin { font-size: 12px; border: 1px solid var(--border); border-radius: 3px; padding: 0 4px; }
.origin-assumed { color: var(--warning); border-color: var(--warning); }
.origin-recorded { color: var(--result); border-color: var(--result); }
figure.quote { margin: 8px 0; }
figure.quote figcaption { font-size: 13px; color: var(--muted); }
table.inputs { border-collapse: collapse; margin: 6px 0; }
table.inputs td, table.inputs th { border-bottom: 1px solid var(--border); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
svg { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg text { fill: var(--fg); font-size: 12px; font-family: inherit; }
svg .band { fill: var(--panel); }
svg .chain, svg .axis, svg .tick { stroke: var(--border); stroke-width: 2; }
svg .node { fill: var(--bg); stroke: var(--muted); }
svg .col-title, svg .tick-label, svg .t0 { fill: var(--muted); }
svg .link { fill: none; stroke-width: 2.5; }
svg .link-s1 { stroke: var(--s1); } svg .link-s2 { stroke: var(--s2); }
svg .mark circle { stroke: var(--bg); stroke-width: 2; }
svg .mark text { fill: var(--bg); font-weight: 700; font-size: 11px; }
svg .mark-s1 circle { fill: var(--s1); } svg .mark-s2 circle { fill: var(--s2); }
svg .mark-result circle { fill: var(--result); } svg .mark-result.mark-faults circle { fill: var(--faulting); }
svg .events { fill: var(--events); }
svg .fault { stroke-width: 2; }
svg .fault.sev-critical { stroke: var(--critical); } svg .fault.sev-error { stroke: var(--error); }
svg .fault.sev-warning { stroke: var(--warning); } svg .fault.sev-info { stroke: var(--info); }
svg .fault-label { font-weight: 700; }
section.finding { margin-bottom: 28px; }
ol.refs li { margin: 4px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --panel: #ffffff; --border: #999999; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; border-color: #999999; }
  figure, pre, svg, table, dl { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
`;
