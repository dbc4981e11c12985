// The what-if controls: kernel version, FWB, stage-2 type, guest mapping, access and alignment. Every change
// is a new replay:what-if request; the lattice and the predicted outcome redraw from its answer.
import { ACCESS_LABELS, ACCESS_SIZES, GUEST_MAPPINGS, KERNEL_PRESETS, STAGE2_CHOICES, stage2Key, type WhatIfInputs } from '../../state/what-if';

export function WhatIfControls(props: { value: WhatIfInputs; onChange: (v: WhatIfInputs) => void; basis?: Partial<Record<string, string>> }): React.JSX.Element {
  const v = props.value;
  const set = (patch: Partial<WhatIfInputs>): void => props.onChange({ ...v, ...patch });
  const setAccess = (patch: Partial<WhatIfInputs['access']>): void => set({ access: { ...v.access, ...patch } });
  const tag = (name: string): React.JSX.Element | null => {
    const b = props.basis?.[name];
    return b ? <span className={`tag tag-${b === 'recorded' || b === 'context' ? 'recorded' : 'assumed'}`}>{b}</span> : null;
  };
  const aligned = v.access.offset % Math.max(1, v.access.size) === 0;
  return (
    <form className="what-if" data-testid="what-if" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Host kernel {tag('kernel')}</span>
        <input type="text" value={v.kernel} size={12} list="kernel-presets" data-testid="what-if-kernel" onChange={(e) => e.target.value.trim() && set({ kernel: e.target.value.trim() })} />
        <datalist id="kernel-presets">
          {KERNEL_PRESETS.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <span className="chips">
          {KERNEL_PRESETS.map((k) => (
            <button type="button" key={k} className={k === v.kernel ? 'chip chip-on' : 'chip'} onClick={() => set({ kernel: k })} data-testid={`what-if-kernel-${k}`}>
              {k}
            </button>
          ))}
        </span>
      </label>
      <label className="inline">
        <input type="checkbox" checked={v.fwb} onChange={(e) => set({ fwb: e.target.checked })} data-testid="what-if-fwb" />
        <span>FEAT_S2FWB on (HCR_EL2.FWB) {tag('fwb')}</span>
      </label>
      <label>
        <span>Stage 2 {tag('region')}</span>
        <select value={stage2Key(v.stage2)} data-testid="what-if-stage2" onChange={(e) => set({ stage2: STAGE2_CHOICES.find((c) => c.key === e.target.value)?.value ?? v.stage2 })}>
          {STAGE2_CHOICES.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Guest mapping (stage 1) {tag('guest mapping')}</span>
        <select value={v.s1Attr} data-testid="what-if-guest" onChange={(e) => set({ s1Attr: Number(e.target.value) })}>
          {GUEST_MAPPINGS.some((g) => g.attr === v.s1Attr) ? null : <option value={v.s1Attr}>MAIR 0x{v.s1Attr.toString(16).padStart(2, '0')}</option>}
          {GUEST_MAPPINGS.map((g) => (
            <option key={g.attr} value={g.attr}>
              {g.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Access {tag('access')}</span>
        <span className="row">
          <select value={v.access.kind} data-testid="what-if-access" onChange={(e) => setAccess({ kind: e.target.value as WhatIfInputs['access']['kind'] })}>
            {Object.entries(ACCESS_LABELS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          <select value={v.access.size} aria-label="Access size in bytes" onChange={(e) => setAccess({ size: Number(e.target.value) })}>
            {ACCESS_SIZES.map((s) => (
              <option key={s} value={s}>
                {s} bytes
              </option>
            ))}
          </select>
        </span>
      </label>
      <label>
        <span>Alignment {tag('alignment')}</span>
        <select value={aligned ? 'aligned' : 'unaligned'} data-testid="what-if-alignment" onChange={(e) => setAccess({ offset: e.target.value === 'aligned' ? 0 : 1 })}>
          <option value="aligned">aligned</option>
          <option value="unaligned">unaligned (page offset 0x{(aligned ? 1 : v.access.offset).toString(16).padStart(3, '0')})</option>
        </select>
      </label>
    </form>
  );
}
