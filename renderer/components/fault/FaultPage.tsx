// One fault (#/fault/ID): its facts and diagnosis, the replay with the attribute lattice and what-if controls
// (why it happened), the decoded ESR over its bits, and the source lines.
import type { FaultDetail } from '../../../preload/contract';
import { useApi } from '../../state/use-api';
import { LoadView } from '../common/Status';
import { DecodeCard } from '../decode/DecodeCard';
import { FaultDiagnoses } from './FaultDiagnoses';
import { FaultHeader } from './FaultHeader';
import { ExportPanel } from '../report/ExportPanel';
import { ReplaySection } from './ReplaySection';
import { SourceLines } from './SourceLines';

function FaultDecode(props: { fault: FaultDetail }): React.JSX.Element | null {
  const f = props.fault;
  const request = f.esr
    ? { values: [f.esr], ...(f.el ? { el: f.el } : {}), ...(f.kernel ? { kernel: f.kernel } : {}), ...(f.far ? { far: f.far } : {}) }
    : null;
  const load = useApi('esr:decode', request);
  if (!request) return null;
  return (
    <LoadView load={load} what="the decode" minHeight={360}>
      {(r) => {
        const item = r.items[0];
        return item?.ok ? <DecodeCard d={item.decode} /> : <p className="error">{item && !item.ok ? item.error : 'no decode'}</p>;
      }}
    </LoadView>
  );
}

export function FaultPage(props: { faultId: number }): React.JSX.Element {
  const load = useApi('faults:get', { id: props.faultId, context: 8 });
  return (
    <div className="page fault-page" data-testid="fault-page">
      <LoadView load={load} what={`fault ${props.faultId}`} minHeight={300} onRetry={load.reload}>
        {(f) => (
          <>
            <FaultHeader fault={f} />
            <ExportPanel bundleId={f.bundleId} bundleName={`bundle-${f.bundleId}-fault-${f.id}`} selection={{ kind: 'fault', id: f.id }} title="Report of this fault" />
            <FaultDiagnoses bundleId={f.bundleId} faultId={f.id} />
            <ReplaySection faultId={f.id} esr={f.esr} />
            <FaultDecode fault={f} />
            <SourceLines fault={f} />
          </>
        )}
      </LoadView>
    </div>
  );
}
