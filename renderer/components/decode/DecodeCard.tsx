// One decoded ESR: the value with copy buttons, the bits with the fields over them, the field tree, what it
// adds up to, KVM's view and the kernel's own "Mem abort info" rendering. Used by the decode page and the
// fault detail.
import { useState } from 'react';
import type { EsrDecodeView } from '../../../preload/contract';
import { routes } from '../../state/route';
import { wrapForMail } from '../../state/wrap-text';
import { CopyButton } from '../common/CopyButton';
import { DecodeFacts } from './DecodeFacts';
import { EsrBits } from './EsrBits';
import { EsrFieldTree, meaningfulOnly } from './EsrFieldTree';
import { KvmPanel } from './KvmPanel';

export function DecodeCard(props: { d: EsrDecodeView; input?: string; showLink?: boolean }): React.JSX.Element {
  const { d } = props;
  const [highlight, setHighlight] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const shownFields = all ? d.fields : meaningfulOnly(d.fields);
  return (
    <article className="panel decode-card" data-testid="decode-card" data-esr={d.esr}>
      <header className="decode-card-header">
        <code className="decode-value">{d.esr}</code>
        {d.el && <span className="tag">ESR_EL{d.el}</span>}
        <span className="decode-title">
          {d.ecInfo.name ?? 'unallocated EC'}: {d.ecInfo.description}
          {d.fsc && <> · {d.fsc.meaning}</>}
        </span>
        <span className="spacer" />
        <CopyButton text={d.esr} label="Copy value" />
        <CopyButton text={wrapForMail(d.text)} label="Copy as text" title="Copy the decode as plain text (75 columns, for mailing lists)" testId="copy-as-text" />
        {props.showLink !== false && (
          <a href={routes.decode([d.esr], d.el)} className="muted">
            link
          </a>
        )}
      </header>
      {props.input && props.input !== d.esr && <p className="muted">Pasted as {props.input}</p>}
      <EsrBits esr={d.esr} fields={d.fields} highlight={highlight} onHighlight={setHighlight} />
      <div className="decode-body">
        <div>
          <EsrFieldTree fields={shownFields} highlight={highlight} onHighlight={setHighlight} />
          <label className="muted toggle">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show the fields that mean nothing for this value
          </label>
        </div>
        <div className="decode-side">
          <DecodeFacts d={d} />
          {d.kvm && <KvmPanel kvm={d.kvm} />}
          {d.memAbortInfo && (
            <details className="mem-abort">
              <summary>What the kernel prints for it (Mem abort info)</summary>
              <pre className="log-quote">{d.memAbortInfo}</pre>
            </details>
          )}
        </div>
      </div>
    </article>
  );
}
