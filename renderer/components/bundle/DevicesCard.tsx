// PCI devices, passed-through ones (driver vfio-pci) first, with their BARs: where a guest's device accesses go.
import { formatSize, type PciDeviceView } from '../../state/bundle-context';
import { Empty } from '../common/Status';

export function DevicesCard(props: { devices: readonly PciDeviceView[] }): React.JSX.Element {
  const devices = [...props.devices].sort((a, b) => Number(b.driver === 'vfio-pci') - Number(a.driver === 'vfio-pci'));
  return (
    <section className="panel" data-testid="devices-card">
      <h2>Devices</h2>
      {devices.length === 0 ? (
        <Empty title="No PCI devices in the bundle" minHeight={60}>
          <span className="muted">lspci output (sos_commands/pci/lspci_-nnvv) was not found.</span>
        </Empty>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Device</th>
              <th>Driver</th>
              <th>BARs</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.bdf}>
                <td>
                  <code>{d.bdf}</code> {d.description}
                  {d.vendorDevice && <span className="muted"> [{d.vendorDevice}]</span>}
                </td>
                <td>{d.driver ? <span className={d.driver === 'vfio-pci' ? 'tag tag-vfio' : 'tag'}>{d.driver}</span> : <span className="muted">none</span>}</td>
                <td>
                  {d.bars.map((b) => (
                    <div key={b.index} className="mono">
                      BAR{b.index} {b.address} [size={formatSize(b.size)}]{b.is64 ? ' 64-bit' : ''}
                      {b.prefetchable ? ' prefetchable' : ''}
                    </div>
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
