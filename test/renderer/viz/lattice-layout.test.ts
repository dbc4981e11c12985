// The lattice layout against the order the Arm ARM gives (DOMAIN.md §1) and the 2022 GPU passthrough case:
// guest ioremap_wc (Normal-NC) over a KVM < 6.9 VFIO BAR (stage 2 Device-nGnRE) combines to Device-nGnRE.
import { describe, expect, it } from 'vitest';
import { LATTICE_ORDER, PIN_RADIUS, edgePath, layoutLattice, type LatticeMarks } from '../../../renderer/viz/lattice-layout';

const before69: LatticeMarks = {
  s1: 'Normal-NC',
  s2: 'Device-nGnRE',
  result: 'Device-nGnRE',
  resultOptions: [],
  fwb: false,
  cache: { s1: { inner: 'NC', outer: 'NC' }, s2: null, result: null },
};

const after69: LatticeMarks = {
  s1: 'Normal-NC',
  s2: 'Normal-NC',
  result: 'Normal-NC',
  resultOptions: [],
  fwb: false,
  cache: { s1: { inner: 'NC', outer: 'NC' }, s2: { inner: 'NC', outer: 'NC' }, result: { inner: 'NC', outer: 'NC' } },
};

describe('layoutLattice', () => {
  it('lays the seven types out weakest to strongest, left to right, without overlap', () => {
    const l = layoutLattice(before69, 760);
    expect(l.nodes.map((n) => n.type)).toEqual([
      'Normal-WB',
      'Normal-WT',
      'Normal-NC',
      'Device-GRE',
      'Device-nGRE',
      'Device-nGnRE',
      'Device-nGnRnE',
    ]);
    for (let i = 1; i < l.nodes.length; i++) {
      const prev = l.nodes[i - 1]!;
      expect(l.nodes[i]!.x).toBeGreaterThanOrEqual(prev.x + prev.width);
    }
    const last = l.nodes[l.nodes.length - 1]!;
    expect(last.x + last.width).toBeLessThanOrEqual(l.width);
    expect(l.nodes.map((n) => n.label)).toEqual(['WB', 'WT', 'NC', 'GRE', 'nGRE', 'nGnRE', 'nGnRnE']);
  });

  it('marks stage 1, stage 2 and the result on their nodes (the 2022 GPU passthrough case)', () => {
    const l = layoutLattice(before69);
    const roles = Object.fromEntries(l.nodes.map((n) => [n.type, n.roles]));
    expect(roles['Normal-NC']).toEqual(['s1']);
    expect(roles['Device-nGnRE']).toEqual(['s2', 'result']);
    expect(roles['Normal-WB']).toEqual([]);
    const pin = (role: string) => l.pins.find((p) => p.role === role)!;
    const node = (type: string) => l.nodes.find((n) => n.type === type)!;
    expect(pin('s1').cx).toBeCloseTo(node('Normal-NC').x + node('Normal-NC').width / 2);
    expect(pin('result').cx).toBeCloseTo(node('Device-nGnRE').x + node('Device-nGnRE').width / 2);
    // stage pins above the chain, the result below it
    expect(pin('s1').cy).toBeLessThan(l.chainY);
    expect(pin('result').cy).toBeGreaterThan(l.chainY + node('Normal-NC').height);
  });

  it('draws the side the result took as deciding and the overridden side as not', () => {
    const l = layoutLattice(before69);
    expect(l.edges.map((e) => [e.from, e.decides])).toEqual([
      ['s1', false],
      ['s2', true],
    ]);
  });

  it('puts two stages on the same type side by side, not on top of each other', () => {
    const l = layoutLattice(after69);
    const [s1, s2] = [l.pins.find((p) => p.role === 's1')!, l.pins.find((p) => p.role === 's2')!];
    expect(Math.abs(s1.cx - s2.cx)).toBeGreaterThanOrEqual(2 * PIN_RADIUS);
    expect(l.nodes.find((n) => n.type === 'Normal-NC')!.roles).toEqual(['s1', 's2', 'result']);
  });

  it('adds the inner/outer grid under the Normal nodes only when a side is Normal', () => {
    const l = layoutLattice(after69);
    expect(l.cache).toHaveLength(6);
    const nc = l.nodes.find((n) => n.type === 'Normal-NC')!;
    const innerNC = l.cache.find((c) => c.side === 'inner' && c.level === 'NC')!;
    expect(innerNC.x).toBe(nc.x);
    expect(innerNC.roles).toEqual(['s1', 's2', 'result']);
    expect(l.cache.find((c) => c.side === 'outer' && c.level === 'WB')!.roles).toEqual([]);
    const device = layoutLattice({ ...before69, s1: 'Device-nGnRnE', cache: { s1: null, s2: null, result: null } });
    expect(device.cache).toEqual([]);
    expect(device.height).toBeLessThan(l.height);
  });

  it('shows every possible result of a reserved encoding as tentative and draws no edge', () => {
    const l = layoutLattice({ ...before69, s2: null, result: null, resultOptions: ['Normal-NC', 'Normal-WT', 'Normal-WB'] });
    const results = l.pins.filter((p) => p.role === 'result');
    expect(results.map((p) => p.type).sort()).toEqual(['Normal-NC', 'Normal-WB', 'Normal-WT']);
    expect(results.every((p) => p.tentative)).toBe(true);
    expect(l.edges).toEqual([]);
  });

  it('marks the stage-2 edge as the FWB path when FWB is on', () => {
    const l = layoutLattice({ ...after69, s2: 'Normal-WB', result: 'Normal-WB', fwb: true });
    expect(l.edges.find((e) => e.from === 's2')).toMatchObject({ fwb: true, decides: true });
    expect(l.edges.find((e) => e.from === 's1')).toMatchObject({ fwb: false, decides: false });
  });

  it('keeps every shape inside the drawing for narrow and wide widths', () => {
    for (const width of [200, 420, 760, 1400]) {
      const l = layoutLattice(after69, width);
      for (const n of l.nodes) expect(n.x + n.width).toBeLessThanOrEqual(l.width);
      for (const p of l.pins) expect(p.cy + PIN_RADIUS).toBeLessThanOrEqual(l.height);
      for (const c of l.cache) expect(c.y + c.height).toBeLessThanOrEqual(l.height);
    }
    expect(LATTICE_ORDER).toHaveLength(7);
  });
});

describe('edgePath', () => {
  it('leaves the bottom of the source pin and ends at the top of the target pin', () => {
    const numbers = (edgePath({ cx: 10, cy: 50 }, { cx: 110, cy: 150 }).match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
    // M x0,y0 C x0,ym x1,ym x1,y1 with ym halfway between the pin edges
    expect(numbers).toEqual([10, 50 + PIN_RADIUS, 10, 100, 110, 100, 110, 150 - PIN_RADIUS]);
  });
});

describe('edge midpoints', () => {
  it('sit halfway between the stage pin and the result pin', () => {
    const l = layoutLattice(before69);
    const s1 = l.pins.find((p) => p.role === 's1')!;
    const r = l.pins.find((p) => p.role === 'result')!;
    const e = l.edges.find((x) => x.from === 's1')!;
    expect([e.mx, e.my]).toEqual([(s1.cx + r.cx) / 2, (s1.cy + r.cy) / 2]);
  });
});
