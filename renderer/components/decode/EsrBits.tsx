// The 64 bits of an ESR with its fields laid over them (bit 63 top left, as in the Arm ARM's register
// diagrams). Hovering a bit or a field highlights the same field in the tree, and the other way round.
import type { EsrFieldView } from '../../../preload/contract';
import { layoutBits } from '../../viz/bit-layout';

export function EsrBits(props: {
  esr: string;
  fields: readonly EsrFieldView[];
  highlight: string | null;
  onHighlight: (path: string | null) => void;
}): React.JSX.Element {
  const { cells, bands, rows } = layoutBits(props.esr, props.fields);
  return (
    <div className="esr-bits" data-testid="esr-bits" onMouseLeave={() => props.onHighlight(null)}>
      {Array.from({ length: rows }, (_, row) => (
        <div className="esr-bits-row" key={row}>
          {cells
            .filter((c) => c.row === row)
            .map((c) => {
              const band = bands[c.band];
              const hot = band !== undefined && band.path === props.highlight;
              const cls = ['bit', band ? `band-${band.fieldIndex % 2}` : 'bit-none', band && !band.meaningful ? 'bit-muted' : '', hot ? 'bit-hot' : ''];
              return (
                <div key={c.bit} className="bit-col" style={{ gridColumn: c.col + 1 }}>
                  <span className="bit-number">{c.bit % 4 === 0 || c.col === 0 ? c.bit : ''}</span>
                  <span
                    className={cls.join(' ')}
                    data-bit={c.bit}
                    title={band ? `bit ${c.bit}: ${band.name} [${band.hi}:${band.lo}]` : `bit ${c.bit}`}
                    onMouseEnter={() => props.onHighlight(band?.path ?? null)}
                  >
                    {c.value}
                  </span>
                </div>
              );
            })}
          {bands
            .filter((b) => b.row === row)
            .map((b) => (
              <span
                key={`${b.path}-${b.hi}`}
                className={`band-label band-${b.fieldIndex % 2}${b.meaningful ? '' : ' bit-muted'}${b.path === props.highlight ? ' bit-hot' : ''}`}
                style={{ gridColumn: `${b.startCol + 1} / ${b.endCol + 2}` }}
                title={`${b.name} [${b.hi === b.lo ? b.hi : `${b.hi}:${b.lo}`}]`}
                onMouseEnter={() => props.onHighlight(b.path)}
              >
                {b.name}
              </span>
            ))}
        </div>
      ))}
    </div>
  );
}
