// The VMs found in the bundle (VMM processes) and their vCPU threads.
import type { VmView } from '../../state/bundle-context';
import { Empty } from '../common/Status';

export function VmsCard(props: { vms: readonly VmView[] }): React.JSX.Element {
  return (
    <section className="panel" data-testid="vms-card">
      <h2>VMs</h2>
      {props.vms.length === 0 ? (
        <Empty title="No VM processes found" minHeight={60} />
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>VM (pid)</th>
              <th>vCPUs (thread ids)</th>
            </tr>
          </thead>
          <tbody>
            {props.vms.map((vm) => (
              <tr key={vm.pid}>
                <td>
                  {vm.name ?? 'VM'} <span className="muted">({vm.pid})</span>
                </td>
                <td>
                  {vm.vcpus.length === 0 && <span className="muted">not known</span>}
                  {vm.vcpus.map((c) => (
                    <span key={c.tid} className="tag">
                      vCPU {c.index ?? '?'}: {c.tid}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
