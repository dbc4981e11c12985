// The attribute lattice of one combination, with its caption: what each stage asked for, what the combined
// type is, the rule that fired (with its ASL function), the FWB path, and what that means for an unaligned
// access. Everything shown comes from the MMU model through the API (CombineView); nothing is recomputed.
import { useRef } from 'react';
import type { CombineView } from '../../../preload/contract';
import { layoutLattice, type LatticeMarks } from '../../viz/lattice-layout';
import { useElementWidth } from '../../viz/use-element-width';
import { LatticeSvg } from './LatticeSvg';

/** The API's marks as the layout's type (node names are the same strings: main/core/mmu LATTICE). */
function marksOf(c: CombineView): LatticeMarks {
  return c.marks as LatticeMarks;
}

export function LatticeView(props: { combine: CombineView; s1Label?: string; s2Label?: string }): React.JSX.Element {
  const { combine: c } = props;
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const layout = layoutLattice(marksOf(c), Math.min(width, 900));
  const s1 = c.s1.attrs?.label ?? (c.s1.reserved ? 'reserved encoding' : '—');
  const s2 = c.fwb ? (c.s2.fwbMeaning ?? '—') : (c.s2.attrs?.label ?? (c.s2.reserved ? 'reserved encoding' : '—'));
  const result = c.result?.label ?? (c.resultOptions.length ? c.resultOptions.map((o) => o.label).join(' or ') : '—');
  const titles = {
    s1: `Stage 1 (${props.s1Label ?? 'MAIR attribute'} ${c.s1.encoding}): ${s1}`,
    s2: `Stage 2 (${props.s2Label ?? 'MemAttr'} ${c.s2.encoding}${c.fwb ? ', FWB' : ''}): ${s2}`,
    result: `Combined: ${result}`,
  };
  return (
    <figure className="lattice" data-testid="lattice" data-result={c.marks.result ?? ''}>
      <div ref={box} className="lattice-box">
        <LatticeSvg layout={layout} titles={titles} />
      </div>
      <figcaption>
        <ul className="lattice-legend">
          <li>
            <span className="legend-pin pin-s1">S1</span> {titles.s1}
          </li>
          <li>
            <span className="legend-pin pin-s2">S2</span> {titles.s2}
          </li>
          <li data-testid="lattice-result">
            <span className="legend-pin pin-result">=</span> <strong>{titles.result}</strong>
            {c.result?.memtype === 'Normal' && <span className="muted"> ({c.result.shareability})</span>}
          </li>
        </ul>
        <p className="lattice-rule" data-testid="lattice-rule" data-rule={c.rule.id}>
          <strong>Rule:</strong> {c.rule.text} <code className="muted">{c.rule.asl}</code>
        </p>
        {c.fwb && (
          <p className="lattice-fwb">
            <span className="tag">FWB</span> With HCR_EL2.FWB set, stage 2 rewrites the stage-1 attributes and that <em>is</em> the result:
            S2CombineS1MemAttrs is not used (AArch64.S2ApplyFWBMemAttrs).
          </p>
        )}
        <p className={c.unalignedAccessFaults ? 'lattice-align-fault' : 'lattice-align-ok'} data-testid="lattice-alignment">
          {c.unalignedAccessFaults
            ? `An unaligned access here takes an alignment fault${c.alignmentFaultStage ? ` at stage ${c.alignmentFaultStage}` : ''}: Device memory allows no unaligned access.`
            : 'Unaligned plain loads and stores are allowed here (Normal memory, SCTLR.A = 0).'}
        </p>
      </figcaption>
    </figure>
  );
}
