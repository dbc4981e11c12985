// The attribute lattice drawn from its layout (renderer/viz/lattice-layout.ts): the seven memory types
// weakest to strongest, stage-1 and stage-2 pins above, the result below, the edges that say which side
// decided, and the inner/outer cacheability grid when a side is Normal.
import { useMemo, useRef } from 'react';
import { LAYOUT_CONSTANTS, PIN_RADIUS, type LatticeLayout, type PinRole } from '../../viz/lattice-layout';
import { usePinTransition } from '../../viz/use-pin-transition';

const PIN_TEXT: Readonly<Record<PinRole, string>> = { s1: 'S1', s2: 'S2', result: '=' };
const ROLE_NAME: Readonly<Record<PinRole, string>> = { s1: 'stage 1', s2: 'stage 2', result: 'result' };

export function LatticeSvg(props: { layout: LatticeLayout; titles: Readonly<Record<PinRole, string>> }): React.JSX.Element {
  const { layout } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const positions = useMemo(() => new Map(layout.pins.map((p) => [`${p.role}-${p.tentative ? p.type : ''}`, p])), [layout]);
  usePinTransition(svgRef, positions);
  const { GROUP_Y } = LAYOUT_CONSTANTS;
  return (
    <svg ref={svgRef} className="lattice-svg" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img">
      {layout.groups.map((g) => (
        <g key={g.label} className="lattice-group">
          <path d={`M${g.x},${GROUP_Y + 14} v-6 h${g.width} v6`} />
          <text x={g.x + g.width / 2} y={GROUP_Y + 4}>
            {g.label}
          </text>
        </g>
      ))}
      {layout.nodes.length > 0 && (
        <g className="lattice-direction">
          <text x={layout.nodes[0]!.x} y={layout.chainY + layout.nodes[0]!.height + 14}>
            weaker
          </text>
          <text x={layout.nodes[layout.nodes.length - 1]!.x + layout.nodes[layout.nodes.length - 1]!.width} y={layout.chainY + layout.nodes[0]!.height + 14} className="end">
            stronger
          </text>
        </g>
      )}
      {layout.edges.map((e) => (
        <path key={e.from} d={e.d} className={`lattice-edge edge-${e.from} ${e.decides ? 'edge-decides' : 'edge-overridden'}${e.fwb ? ' edge-fwb' : ''}`} />
      ))}
      {layout.edges
        .filter((e) => e.fwb)
        .map((e) => (
          <text key="fwb" className="lattice-fwb-label" x={e.mx + 8} y={e.my - 22}>
            FWB
          </text>
        ))}
      {layout.nodes.map((n, i) => (
        <g key={n.type} className={`lattice-node node-${n.group.toLowerCase()}`} data-type={n.type} data-roles={n.roles.join(' ')}>
          <title>{`${n.type}${n.roles.length ? `: ${n.roles.map((r) => ROLE_NAME[r]).join(', ')}` : ''}`}</title>
          <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} className={n.roles.includes('result') ? 'node-result' : ''} />
          <text x={n.x + n.width / 2} y={n.y + n.height / 2 + 4}>
            {n.label}
          </text>
          {i > 0 && (
            <text className="lattice-lt" x={n.x - (n.x - (layout.nodes[i - 1]!.x + layout.nodes[i - 1]!.width)) / 2} y={n.y + n.height / 2 + 4}>
              &lt;
            </text>
          )}
        </g>
      ))}
      {layout.cache.map((c) => (
        <g key={`${c.side}-${c.level}`} className="lattice-cache" data-side={c.side} data-level={c.level} data-roles={c.roles.join(' ')}>
          <rect x={c.x} y={c.y} width={c.width} height={c.height} rx={4} className={c.roles.includes('result') ? 'node-result' : ''} />
          <text x={c.x + 6} y={c.y + c.height / 2 + 4} className="cache-label">
            {c.side} {c.level}
          </text>
          {c.roles.map((r, k) => (
            <circle key={r} className={`cache-dot pin-${r}`} cx={c.x + c.width - 10 - k * 14} cy={c.y + c.height / 2} r={5} />
          ))}
        </g>
      ))}
      {layout.pins.map((p) => (
        <g
          key={`${p.role}-${p.type}`}
          data-pin-key={`${p.role}-${p.tentative ? p.type : ''}`}
          data-lattice-pin={p.role}
          data-type={p.type}
          className={`lattice-pin pin-${p.role}${p.tentative ? ' pin-tentative' : ''}`}
          transform={`translate(${p.cx},${p.cy})`}
        >
          <title>{props.titles[p.role]}</title>
          <circle r={PIN_RADIUS} />
          <text y={4}>{PIN_TEXT[p.role]}</text>
        </g>
      ))}
    </svg>
  );
}
