// The decode tree as a table in Arm ARM bit order: name, bits, value, what it means here. Fields the
// architecture gives no meaning for this value are greyed with the reason.
import type { EsrFieldView } from '../../../preload/contract';

function range(f: EsrFieldView): string {
  return f.hi === f.lo ? `[${f.hi}]` : `[${f.hi}:${f.lo}]`;
}

function valueText(f: EsrFieldView): string {
  const width = f.hi - f.lo + 1;
  if (width === 1) return String(f.value);
  if (width <= 6) return `0b${f.value.toString(2).padStart(width, '0')} (0x${f.value.toString(16)})`;
  return `0x${f.value.toString(16)}`;
}

function Rows(props: {
  fields: readonly EsrFieldView[];
  depth: number;
  prefix: string;
  highlight: string | null;
  onHighlight: (path: string | null) => void;
}): React.JSX.Element {
  return (
    <>
      {props.fields.map((f) => {
        const path = props.prefix ? `${props.prefix}/${f.name}` : f.name;
        const cls = [f.meaningful ? '' : 'field-muted', path === props.highlight ? 'field-hot' : ''].join(' ').trim();
        return (
          <FieldRow key={`${path}-${f.hi}`} f={f} path={path} cls={cls} {...props} />
        );
      })}
    </>
  );
}

function FieldRow(props: {
  f: EsrFieldView;
  path: string;
  cls: string;
  depth: number;
  highlight: string | null;
  onHighlight: (path: string | null) => void;
}): React.JSX.Element {
  const { f, path } = props;
  return (
    <>
      <tr className={props.cls} data-field={f.name} onMouseEnter={() => props.onHighlight(path)}>
        <td style={{ paddingLeft: 8 + props.depth * 16 }}>
          <code title={f.title}>{f.name}</code>
        </td>
        <td>
          <code>{range(f)}</code>
        </td>
        <td>
          <code>{valueText(f)}</code>
        </td>
        <td>
          <span className="field-title">{f.title}</span>
          {f.meaning && f.meaning !== f.title && f.meaning !== f.name && <span className="field-meaning"> — {f.meaning}</span>}
          {!f.meaningful && f.reason && !f.meaning.includes(f.reason) && f.reason !== f.name && <span className="muted"> ({f.reason})</span>}
        </td>
      </tr>
      {f.children.length > 0 && (
        <Rows fields={f.children} depth={props.depth + 1} prefix={path} highlight={props.highlight} onHighlight={props.onHighlight} />
      )}
    </>
  );
}

/**
 * The tree without the fields that mean nothing for this value. A field that should read zero but does not (a
 * set RES0 bit) stays: it is what the warnings are about. A parent stays when a child stays or it is non-zero.
 */
export function meaningfulOnly(fields: readonly EsrFieldView[]): EsrFieldView[] {
  const out: EsrFieldView[] = [];
  for (const f of fields) {
    const children = meaningfulOnly(f.children);
    if (f.children.length > 0 ? children.length > 0 || f.value !== 0 : f.meaningful || f.value !== 0) out.push({ ...f, children });
  }
  return out;
}

export function EsrFieldTree(props: {
  fields: readonly EsrFieldView[];
  highlight: string | null;
  onHighlight: (path: string | null) => void;
}): React.JSX.Element {
  return (
    <table className="grid field-tree" data-testid="esr-field-tree" onMouseLeave={() => props.onHighlight(null)}>
      <thead>
        <tr>
          <th>Field</th>
          <th>Bits</th>
          <th>Value</th>
          <th>Meaning</th>
        </tr>
      </thead>
      <tbody>
        <Rows fields={props.fields} depth={0} prefix="" highlight={props.highlight} onHighlight={props.onHighlight} />
      </tbody>
    </table>
  );
}
