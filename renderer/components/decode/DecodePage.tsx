// The ESR decode page (#/decode/VALUES): paste one or many values, see each decoded. The address holds the
// values, so a decode can be linked.
import { useMemo } from 'react';
import { routes } from '../../state/route';
import { useApi } from '../../state/use-api';
import { navigate } from '../../state/use-route';
import { Empty, LoadView } from '../common/Status';
import { DecodeCard } from './DecodeCard';
import { DecodeForm, type DecodeQuery } from './DecodeForm';

// Values worth trying, with why (DOMAIN.md §1, §2, §4).
const EXAMPLES: readonly { value: string; el: 1 | 2 | null; what: string }[] = [
  { value: '0x92000061', el: 2, what: 'KVM "Unsupported FSC": guest write to a BAR mapped Device in stage 2' },
  { value: '0x0000000096000004', el: 1, what: 'kernel NULL dereference: level 0 translation fault' },
  { value: '0xbe000411', el: 1, what: 'SError with an architected RAS syndrome' },
  { value: '0xf2000800', el: 1, what: 'BRK #0x800: BUG() in a hyp panic' },
];

export function DecodePage(props: { values: readonly string[]; el: 1 | 2 | null; kernel: string | null }): React.JSX.Element {
  const query: DecodeQuery = useMemo(() => ({ values: props.values, el: props.el, kernel: props.kernel }), [props.values, props.el, props.kernel]);
  const request =
    query.values.length > 0
      ? { values: [...query.values].slice(0, 256), ...(query.el ? { el: query.el } : {}), ...(query.kernel ? { kernel: query.kernel } : {}) }
      : null;
  const result = useApi('esr:decode', request);
  const go = (q: DecodeQuery): void => navigate(routes.decode(q.values, q.el, q.kernel));
  return (
    <div className="page decode-page">
      <section className="panel">
        <h2>Decode ESR values</h2>
        <DecodeForm query={query} onSubmit={go} />
      </section>
      {request === null ? (
        <Empty title="Paste an ESR value, or try one of these" minHeight={160}>
          <ul className="examples">
            {EXAMPLES.map((x) => (
              <li key={x.value}>
                <a href={routes.decode([x.value], x.el)}>
                  <code>{x.value}</code>
                </a>{' '}
                <span className="muted">{x.what}</span>
              </li>
            ))}
          </ul>
        </Empty>
      ) : (
        <LoadView load={result} what="the decode" minHeight={400} onRetry={result.reload}>
          {(r) => (
            <div className="decode-results" data-testid="decode-results">
              {r.items.map((item, i) =>
                item.ok ? (
                  <DecodeCard key={`${item.input}-${i}`} d={item.decode} input={item.input} />
                ) : (
                  <div key={`${item.input}-${i}`} className="panel status-error" role="alert">
                    <code>{item.input}</code>: {item.error}
                  </div>
                ),
              )}
            </div>
          )}
        </LoadView>
      )}
    </div>
  );
}
