// The attribute lattice of one replay as static SVG: three columns of the memory types (stage 1, result,
// stage 2), weakest at the top, the model's stage-1 and stage-2 types marked and linked to the result it
// computed. Positions and paths come from d3-scale / d3-shape, which compute numbers and path strings
// without a DOM (D3's "D3 in React" guidance: scales and shapes in render). Nothing is recomputed here: the
// markers are the model's (ReplayBlock.lattice); colours come from the report's CSS classes.
import { linkHorizontal, scalePoint } from 'd3';
import { attr, escapeHtml } from './html-escape';
import type { ReplayBlock } from './types';

const WIDTH = 560;
const ROW = 30;
const TOP = 44;
const LABEL_X = 12;
const COLUMNS = ['s1', 'result', 's2'] as const;
type Column = (typeof COLUMNS)[number];
const COLUMN_TITLE: Readonly<Record<Column, string>> = { s1: 'Stage 1', result: 'Result', s2: 'Stage 2' };

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();

const r1 = (n: number): number => Math.round(n * 10) / 10;

/** The lattice figure of a replay, or an empty string when the replay has no combination. */
export function renderLatticeSvg(replay: ReplayBlock, idPrefix: string): string {
  const rows = replay.lattice;
  const c = replay.combine;
  if (!rows || !c) return '';
  const height = TOP + rows.length * ROW + 12;
  const y = scalePoint<string>()
    .domain(rows.map((r) => r.node))
    .range([TOP + ROW / 2, TOP + rows.length * ROW - ROW / 2]);
  const x = scalePoint<Column>().domain([...COLUMNS]).range([210, WIDTH - 70]);
  const px = (col: Column): number => x(col) as number;
  const py = (node: string): number => y(node) as number;
  const parts: string[] = [];
  for (const col of COLUMNS) {
    parts.push(`<text class="col-title" x="${px(col)}" y="22" text-anchor="middle">${COLUMN_TITLE[col]}</text>`);
    parts.push(`<line class="chain" x1="${px(col)}" y1="${py(rows[0]!.node)}" x2="${px(col)}" y2="${py(rows[rows.length - 1]!.node)}"/>`);
  }
  rows.forEach((row, i) => {
    const yy = py(row.node);
    if (i % 2 === 0) parts.push(`<rect class="band" x="0" y="${yy - ROW / 2}" width="${WIDTH}" height="${ROW}"/>`);
    parts.push(`<text class="node-label" x="${LABEL_X}" y="${yy + 4}">${escapeHtml(row.node)}</text>`);
    for (const col of COLUMNS) parts.push(`<circle class="node" cx="${px(col)}" cy="${yy}" r="4"/>`);
  });
  const s1: [number, number] = [px('s1'), py(c.s1.node)];
  const s2: [number, number] = [px('s2'), py(c.s2.node)];
  const res: [number, number] = [px('result'), py(c.result.node)];
  parts.push(`<path class="link link-s1" d="${link({ source: s1, target: res })}"/>`);
  parts.push(`<path class="link link-s2" d="${link({ source: s2, target: res })}"/>`);
  const marker = (cls: string, [cx, cy]: [number, number], label: string, title: string): string =>
    `<g class="mark ${cls}"><title>${escapeHtml(title)}</title><circle cx="${r1(cx)}" cy="${r1(cy)}" r="11"/>` +
    `<text x="${r1(cx)}" y="${r1(cy) + 4}" text-anchor="middle">${label}</text></g>`;
  parts.push(marker('mark-s1', s1, 'S1', `Stage 1: ${c.s1.label}${c.s1.encoding ? ` (${c.s1.encoding})` : ''}`));
  parts.push(marker('mark-s2', s2, 'S2', `Stage 2: ${c.s2.label}${c.s2.encoding ? ` (${c.s2.encoding})` : ''}${c.fwb ? ', FWB' : ''}`));
  const faults = c.alignmentFaultStage !== null ? ' mark-faults' : '';
  parts.push(marker(`mark-result${faults}`, res, '=', `Result: ${c.result.label}`));
  const title = `Attribute lattice: stage 1 ${c.s1.label}, stage 2 ${c.s2.label}, result ${c.result.label}`;
  return (
    `<svg class="lattice" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" ${attr('aria-labelledby', `${idPrefix}-lattice-title`)} ${attr('data-s1', c.s1.node)} ${attr('data-s2', c.s2.node)} ` +
    `${attr('data-result', c.result.node)}><title ${attr('id', `${idPrefix}-lattice-title`)}>${escapeHtml(title)}</title>` +
    parts.join('') +
    '</svg>'
  );
}
