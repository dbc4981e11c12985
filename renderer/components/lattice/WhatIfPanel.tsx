// The lattice with its what-if controls: the controls' values go to replay:what-if, the answer redraws the
// lattice and the predicted outcome. The last answer stays on screen while the next one is computed.
import { useState } from 'react';
import { useApi } from '../../state/use-api';
import type { WhatIfInputs } from '../../state/what-if';
import { LoadView } from '../common/Status';
import { LatticeView } from './LatticeView';
import { OutcomeView } from './OutcomeView';
import { WhatIfControls } from './WhatIfControls';

export function WhatIfPanel(props: { initial: WhatIfInputs; basis?: Partial<Record<string, string>>; resetLabel?: string }): React.JSX.Element {
  const [inputs, setInputs] = useState<WhatIfInputs>(props.initial);
  const result = useApi('replay:what-if', inputs);
  const changed = JSON.stringify(inputs) !== JSON.stringify(props.initial);
  return (
    <div className="what-if-panel">
      <div className="what-if-head">
        <WhatIfControls value={inputs} onChange={setInputs} basis={changed ? undefined : props.basis} />
        <button type="button" disabled={!changed} onClick={() => setInputs(props.initial)} data-testid="what-if-reset">
          {props.resetLabel ?? 'Back to the recorded case'}
        </button>
      </div>
      <LoadView load={result} what="the replay" minHeight={420} onRetry={result.reload}>
        {(r, stale) => (
          <div className={stale ? 'stale' : ''} data-testid="what-if-result" data-stale={stale ? 'true' : 'false'}>
            <LatticeView combine={r.combine} s1Label="guest MAIR" s2Label={r.stage2.source === 'given' ? 'MemAttr' : 'KVM MemAttr'} />
            <p className="muted what-if-s2">
              Stage 2: MemAttr {r.stage2.memattr}, {r.stage2.source}
              {r.stage2.since && <> (Linux {r.stage2.since}+)</>}. Access at {r.va}.
            </p>
            <OutcomeView outcome={r.outcome} stale={stale} />
          </div>
        )}
      </LoadView>
    </div>
  );
}
