// The list of keyboard shortcuts (opened with `?`).
import { useEffect, useRef } from 'react';

const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['/', 'Focus the search or filter field'],
  ['?', 'Show or hide this help'],
  ['d', 'ESR decode page'],
  ['b', 'Bundle list'],
  ['↑ ↓  j k', 'Move in a list (fault list, log)'],
  ['PgUp PgDn Home End', 'Move by a page, to the ends'],
  ['Enter', 'Open the selected fault'],
  ['+ −', 'Zoom the timeline (when it has focus)'],
  ['← →', 'Pan the timeline (when it has focus)'],
  ['0', 'Reset the timeline zoom'],
  ['Esc', 'Clear the timeline brush, close this help'],
];

export function ShortcutHelp(props: { onClose: () => void }): React.JSX.Element {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onClick={props.onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="kv">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <th>
                  <kbd>{keys}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" ref={closeRef} onClick={props.onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
