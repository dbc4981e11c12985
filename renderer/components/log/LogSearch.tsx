// Full-text search over every line of the bundle (lines:search, the ingest's FTS index); each hit jumps to
// its file and line.
import { useState } from 'react';
import type { SearchHitView } from '../../../preload/contract';
import { useApi } from '../../state/use-api';
import { LoadView } from '../common/Status';

export function LogSearch(props: { bundleId: number; query: string; onQuery: (q: string) => void; onHit: (h: SearchHitView) => void }): React.JSX.Element {
  const [text, setText] = useState(props.query);
  const result = useApi('lines:search', props.query.trim() ? { bundleId: props.bundleId, query: props.query, limit: 200 } : null);
  return (
    <div className="log-search">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onQuery(text.trim());
        }}
      >
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Search all lines (words, “a phrase”, prefix*)" data-shortcut="search" data-testid="log-search" />
      </form>
      {props.query.trim() !== '' && (
        <LoadView load={result} what="the search" minHeight={40}>
          {(r) => (
            <div className="search-hits" data-testid="search-hits">
              <p className="muted">
                {r.hits.length === 0 ? 'No line matches.' : `${r.hits.length}${r.hits.length === 200 ? '+' : ''} lines`}
                {r.pendingLines > 0 && ` (the index is still being built: ${r.pendingLines.toLocaleString('en-US')} lines to go)`}
              </p>
              <ul>
                {r.hits.map((h) => (
                  <li key={`${h.file}:${h.lineNo}`}>
                    <button type="button" className="hit" onClick={() => props.onHit(h)}>
                      <span className="muted">
                        {h.file.split('/').pop()}:{h.lineNo}
                      </span>{' '}
                      <span className="mono">{h.text}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </LoadView>
      )}
    </div>
  );
}
