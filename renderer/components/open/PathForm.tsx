// Choosing a bundle: a path field (browser mode has nothing else: the page cannot see the server's files), the
// native dialog where the app runs in Electron, and drag and drop of a folder or archive.
import { useState, type DragEvent } from 'react';
import { api } from '../../api';
import { errorMessage } from '../../state/load';

declare global {
  interface Window {
    /** Electron preload: the path of a dropped file (webUtils.getPathForFile). */
    faultlineFiles?: { pathFor(file: File): string };
  }
}

export function PathForm(props: { electron: boolean; busy: boolean; onOpen: (path: string) => void }): React.JSX.Element {
  const [path, setPath] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const choose = (kind: 'folder' | 'file'): void => {
    api.invoke('app:open-dialog', { kind }).then(
      (r) => r.path && props.onOpen(r.path),
      (e: unknown) => setNote(errorMessage(e).message),
    );
  };
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const dropped = window.faultlineFiles?.pathFor(file) ?? '';
    if (dropped) props.onOpen(dropped);
    else setNote(`The browser does not tell where "${file.name}" is: type its path on the machine running Faultline.`);
  };
  return (
    <div
      className={`drop-zone${over ? ' drop-over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>
        <strong>Drop a support bundle here</strong> (a folder, a sosreport archive, a log or trace file), or give its path:
      </p>
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) props.onOpen(path.trim());
        }}
      >
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/sosreport-host-2024.tar.xz" aria-label="Bundle path" data-testid="open-path" />
        <button type="submit" className="primary" disabled={props.busy || !path.trim()} data-testid="open-submit">
          Open
        </button>
        {props.electron && (
          <>
            <button type="button" onClick={() => choose('folder')} disabled={props.busy}>
              Choose folder…
            </button>
            <button type="button" onClick={() => choose('file')} disabled={props.busy}>
              Choose file…
            </button>
          </>
        )}
      </form>
      {note && <p className="muted">{note}</p>}
    </div>
  );
}
