// The decode page's input: paste values or whole log lines; which ESR_ELx they came from and the kernel
// release are optional context (they pick KVM's view and the kernel's names).
import { useEffect, useState } from 'react';
import { extractEsrValues } from '../../state/esr-input';

export interface DecodeQuery {
  readonly values: readonly string[];
  readonly el: 1 | 2 | null;
  readonly kernel: string | null;
}

export function DecodeForm(props: { query: DecodeQuery; onSubmit: (q: DecodeQuery) => void }): React.JSX.Element {
  const [text, setText] = useState(props.query.values.join('\n'));
  const [el, setEl] = useState<string>(props.query.el === null ? '' : String(props.query.el));
  const [kernel, setKernel] = useState(props.query.kernel ?? '');
  // a new deep link replaces what is in the box
  useEffect(() => {
    setText(props.query.values.join('\n'));
    setEl(props.query.el === null ? '' : String(props.query.el));
    setKernel(props.query.kernel ?? '');
  }, [props.query]);

  const found = extractEsrValues(text);
  const submit = (): void => props.onSubmit({ values: found, el: el === '1' ? 1 : el === '2' ? 2 : null, kernel: kernel.trim() || null });
  return (
    <form
      className="decode-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="esr-input">ESR values, or log lines that contain them</label>
      <textarea
        id="esr-input"
        data-testid="esr-input"
        data-shortcut="search"
        rows={3}
        value={text}
        placeholder={'0x92000061\nkvm [1234]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div className="decode-form-row">
        <label>
          Register{' '}
          <select value={el} onChange={(e) => setEl(e.target.value)} data-testid="esr-el">
            <option value="">not known</option>
            <option value="1">ESR_EL1 (guest or host kernel)</option>
            <option value="2">ESR_EL2 (KVM, hypervisor)</option>
          </select>
        </label>
        <label>
          Kernel{' '}
          <input type="text" value={kernel} placeholder="e.g. 6.1.0-18-arm64" onChange={(e) => setKernel(e.target.value)} size={22} />
        </label>
        <span className="muted">{found.length === 1 ? '1 value found' : `${found.length} values found`}</span>
        <span className="spacer" />
        <button type="submit" className="primary" disabled={found.length === 0} data-testid="decode-submit">
          Decode
        </button>
      </div>
    </form>
  );
}
