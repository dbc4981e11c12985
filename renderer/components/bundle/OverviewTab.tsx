// The overview of a bundle: what went wrong first (diagnoses, ranked), then the host, devices and VMs, then
// how the import went.
import type { BundleDetail } from '../../../preload/contract';
import { readContext } from '../../state/bundle-context';
import { DevicesCard } from './DevicesCard';
import { DiagnosesCard } from './DiagnosesCard';
import { FilesCard } from './FilesCard';
import { HostCard } from './HostCard';
import { ImportDiagnostics } from './ImportDiagnostics';
import { VmsCard } from './VmsCard';
import { ExportPanel } from '../report/ExportPanel';

export function OverviewTab(props: { bundle: BundleDetail }): React.JSX.Element {
  const context = readContext(props.bundle.context);
  return (
    <div className="page overview" data-testid="overview">
      <DiagnosesCard bundleId={props.bundle.id} bundleName={props.bundle.name} />
      <ExportPanel bundleId={props.bundle.id} bundleName={props.bundle.name} selection={{ kind: 'bundle' }} title="Report of this bundle" />
      <div className="columns">
        <HostCard context={context} />
        <VmsCard vms={context.vms} />
      </div>
      <DevicesCard devices={context.pciDevices} />
      <ImportDiagnostics bundleId={props.bundle.id} />
      <FilesCard bundleId={props.bundle.id} files={props.bundle.fileList} />
    </div>
  );
}
