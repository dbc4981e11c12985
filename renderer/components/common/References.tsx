// A diagnosis's references (kernel commits, mailing-list threads): links where they have an address.
import type { DiagnosisView } from '../../../preload/contract';

export function References(props: { references: DiagnosisView['references'] }): React.JSX.Element | null {
  if (props.references.length === 0) return null;
  return (
    <ul className="references">
      {props.references.map((r) => (
        <li key={r.text}>
          {r.url ? (
            <a href={r.url} target="_blank" rel="noreferrer noopener">
              {r.text}
            </a>
          ) : (
            r.text
          )}
        </li>
      ))}
    </ul>
  );
}
