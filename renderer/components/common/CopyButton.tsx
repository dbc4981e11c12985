// Copies a value or a whole decode to the clipboard and says so for a moment. Falls back to a hidden
// textarea where the async clipboard API is not available (older Electron contexts, insecure origins).
import { useEffect, useState } from 'react';

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton(props: { text: string; label?: string; title?: string; testId?: string }): React.JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = window.setTimeout(() => setState('idle'), 1500);
    return () => window.clearTimeout(t);
  }, [state]);
  const label = props.label ?? 'Copy';
  return (
    <button
      type="button"
      className="copy-button"
      title={props.title ?? `Copy ${props.text.length > 40 ? 'to the clipboard' : props.text}`}
      data-testid={props.testId}
      data-copy-text={props.text.length <= 200 ? props.text : undefined}
      onClick={() => writeClipboard(props.text).then(() => setState('copied'), () => setState('failed'))}
    >
      {/* Fixed-width label: the button does not change size when it says "Copied". */}
      <span className="copy-button-label">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Failed' : label}</span>
    </button>
  );
}
