// Layout of the attribute lattice: where the seven memory types, the stage-1 / stage-2 / result pins, the
// edges between them and the inner/outer cacheability grid go. Pure math over what the MMU model computed
// (the lattice order and the marks come from the API; nothing here decides a memory type), so it runs and is
// tested under Node. The React component draws the returned shapes as SVG. D3 supplies the scale (scaleBand)
// and the edge shape (linkVertical), both DOM-free (D3's "D3 in React": scales and shapes computed in render).
import { linkVertical, scaleBand } from 'd3';

/**
 * The memory-type order, weakest first (DOMAIN.md §1; Arm ARM "Combining the stage 1 and stage 2 attributes";
 * the same list as main/core/mmu/types.ts LATTICE, which the API's node names come from).
 */
export const LATTICE_ORDER = ['Normal-WB', 'Normal-WT', 'Normal-NC', 'Device-GRE', 'Device-nGRE', 'Device-nGnRE', 'Device-nGnRnE'] as const;
export type LatticeType = (typeof LATTICE_ORDER)[number];
export type CacheLevel = 'WB' | 'WT' | 'NC';
/** Cacheability order, most cacheable first: the Normal part of the lattice (S2CombineS1AttrHints). */
export const CACHE_ORDER: readonly CacheLevel[] = ['WB', 'WT', 'NC'];

export type PinRole = 's1' | 's2' | 'result';
export interface InnerOuter {
  readonly inner: CacheLevel;
  readonly outer: CacheLevel;
}

export interface LatticeMarks {
  readonly s1: LatticeType | null;
  /** Null when stage 2 has no type of its own (FWB "as stage 1", or stage 2 off). */
  readonly s2: LatticeType | null;
  /** Null when a reserved encoding leaves several results: see `resultOptions`. */
  readonly result: LatticeType | null;
  readonly resultOptions: readonly LatticeType[];
  readonly fwb: boolean;
  /** Inner/outer cacheability of each Normal side; null for a Device side. */
  readonly cache: { readonly s1: InnerOuter | null; readonly s2: InnerOuter | null; readonly result: InnerOuter | null };
}

export interface LayoutNode {
  readonly type: LatticeType;
  readonly label: string;
  readonly group: 'Normal' | 'Device';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly roles: readonly PinRole[];
}
export interface LayoutPin {
  readonly role: PinRole;
  readonly type: LatticeType;
  /** A possible result of a reserved encoding (drawn dashed). */
  readonly tentative: boolean;
  readonly cx: number;
  readonly cy: number;
}
export interface LayoutEdge {
  readonly from: 's1' | 's2';
  readonly d: string;
  /** The side whose type the result took (solid), or the side it overrode (dashed). */
  readonly decides: boolean;
  readonly fwb: boolean;
  /** Midpoint of the edge, where its label (FWB) goes. */
  readonly mx: number;
  readonly my: number;
}
export interface LayoutGroup {
  readonly label: string;
  readonly x: number;
  readonly width: number;
}
export interface CacheCell {
  readonly side: 'inner' | 'outer';
  readonly level: CacheLevel;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly roles: readonly PinRole[];
}
export interface LatticeLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LayoutNode[];
  readonly pins: readonly LayoutPin[];
  readonly edges: readonly LayoutEdge[];
  readonly groups: readonly LayoutGroup[];
  /** Inner/outer grid under the Normal nodes, present when the result (or a side) is Normal. */
  readonly cache: readonly CacheCell[];
  readonly chainY: number;
}

export const PIN_RADIUS = 11;
const PAD = 16;
const GAP = 10;
const GROUP_Y = 8;
const PIN_LANE_Y = 48;
const CHAIN_Y = 84;
const NODE_H = 36;
const RESULT_LANE_Y = 160;
const CACHE_Y = 196;
const CACHE_ROW_H = 26;

/** The rank of a type in the lattice (0 = Normal-WB, the weakest). */
export function latticeRank(t: LatticeType): number {
  return LATTICE_ORDER.indexOf(t);
}

function rolesAt(t: LatticeType, m: LatticeMarks): PinRole[] {
  const roles: PinRole[] = [];
  if (m.s1 === t) roles.push('s1');
  if (m.s2 === t) roles.push('s2');
  if (m.result === t || (m.result === null && m.resultOptions.includes(t))) roles.push('result');
  return roles;
}

/** Lays the lattice out in `width` pixels (at least 420). */
export function layoutLattice(m: LatticeMarks, width = 760): LatticeLayout {
  const w = Math.max(420, width);
  const band = scaleBand<LatticeType>()
    .domain(LATTICE_ORDER)
    .range([PAD, w - PAD])
    .paddingInner(GAP / ((w - 2 * PAD) / LATTICE_ORDER.length));
  const nodeW = band.bandwidth();
  const xOf = (i: number): number => band(LATTICE_ORDER[i] as LatticeType) ?? PAD;
  const nodes: LayoutNode[] = LATTICE_ORDER.map((type, i) => {
    const [group, label] = type.split('-') as ['Normal' | 'Device', string];
    return { type, label, group, x: xOf(i), y: CHAIN_Y, width: nodeW, height: NODE_H, roles: rolesAt(type, m) };
  });
  const centre = (t: LatticeType): number => xOf(latticeRank(t)) + nodeW / 2;
  const pins = placePins(m, centre);
  const result = pins.filter((p) => p.role === 'result');
  const edges: LayoutEdge[] = [];
  for (const p of pins) {
    if (p.role === 'result' || result.length !== 1) continue;
    const r = result[0] as LayoutPin;
    const mx = (p.cx + r.cx) / 2;
    const my = (p.cy + r.cy) / 2;
    edges.push({ from: p.role, d: edgePath(p, r), decides: p.type === r.type, fwb: m.fwb && p.role === 's2', mx, my });
  }
  const groups: LayoutGroup[] = [
    { label: 'Normal', x: xOf(0), width: xOf(2) + nodeW - xOf(0) },
    { label: 'Device', x: xOf(3), width: xOf(6) + nodeW - xOf(3) },
  ];
  const cache = layoutCache(m, xOf, nodeW);
  const height = cache.length ? CACHE_Y + 2 * CACHE_ROW_H + PAD : RESULT_LANE_Y + PIN_RADIUS + PAD;
  return { width: w, height, nodes, pins, edges, groups, cache, chainY: CHAIN_Y };
}

// Stage pins sit in the lane above the chain, the result pin(s) in the lane below. When stage 1 and stage 2
// mark the same type the two pins stand side by side so neither hides the other.
function placePins(m: LatticeMarks, centre: (t: LatticeType) => number): LayoutPin[] {
  const pins: LayoutPin[] = [];
  const shared = m.s1 !== null && m.s1 === m.s2;
  const off = shared ? PIN_RADIUS + 3 : 0;
  if (m.s1) pins.push({ role: 's1', type: m.s1, tentative: false, cx: centre(m.s1) - off, cy: PIN_LANE_Y });
  if (m.s2) pins.push({ role: 's2', type: m.s2, tentative: false, cx: centre(m.s2) + off, cy: PIN_LANE_Y });
  if (m.result) pins.push({ role: 'result', type: m.result, tentative: false, cx: centre(m.result), cy: RESULT_LANE_Y });
  else for (const t of m.resultOptions) pins.push({ role: 'result', type: t, tentative: true, cx: centre(t), cy: RESULT_LANE_Y });
  return pins;
}

const link = linkVertical<{ source: [number, number]; target: [number, number] }, [number, number]>();

/** A cubic curve from the bottom of a stage pin to the top of the result pin, leaving and arriving vertically. */
export function edgePath(from: { cx: number; cy: number }, to: { cx: number; cy: number }): string {
  return link({ source: [from.cx, from.cy + PIN_RADIUS], target: [to.cx, to.cy - PIN_RADIUS] }) ?? '';
}

// The inner/outer grid reuses the x positions of the three Normal nodes (WB, WT, NC in both orders), so a
// Normal result's cacheability reads straight down from the chain.
function layoutCache(m: LatticeMarks, xOf: (i: number) => number, nodeW: number): CacheCell[] {
  const c = m.cache;
  if (!c.s1 && !c.s2 && !c.result) return [];
  const cells: CacheCell[] = [];
  (['inner', 'outer'] as const).forEach((side, row) => {
    CACHE_ORDER.forEach((level, i) => {
      const roles: PinRole[] = [];
      if (c.s1?.[side] === level) roles.push('s1');
      if (c.s2?.[side] === level) roles.push('s2');
      if (c.result?.[side] === level) roles.push('result');
      cells.push({ side, level, x: xOf(i), y: CACHE_Y + row * CACHE_ROW_H, width: nodeW, height: CACHE_ROW_H - 4, roles });
    });
  });
  return cells;
}

export const LAYOUT_CONSTANTS = { GROUP_Y, PIN_LANE_Y, CHAIN_Y, RESULT_LANE_Y, CACHE_Y, CACHE_ROW_H } as const;
