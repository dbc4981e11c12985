// #/what-if: the lattice and the replay without a recorded fault, starting from the 2022 GPU passthrough case
// (guest ioremap_wc over a vfio-pci BAR, kernel 6.1, unaligned 8-byte store).
import { GPU_PASSTHROUGH_CASE } from '../../state/what-if';
import { WhatIfPanel } from './WhatIfPanel';

export function WhatIfPage(): React.JSX.Element {
  return (
    <div className="page">
      <section className="panel">
        <h2>Memory attributes: what if…</h2>
        <p className="muted">
          One access through the guest&apos;s stage-1 mapping and KVM&apos;s stage 2, replayed by the MMU model. Change the kernel, FWB, the
          stage-2 type, the guest mapping or the alignment and see the combined type and the outcome change.
        </p>
        <WhatIfPanel initial={GPU_PASSTHROUGH_CASE} resetLabel="Back to the 2022 case" />
      </section>
    </div>
  );
}
