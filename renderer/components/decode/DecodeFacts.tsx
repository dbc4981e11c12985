// What a decode adds up to, beside its field tree: the fault code, the names the kernel prints, the
// addresses, and the class-specific facts (system register, BRK immediate, SError severity), then warnings.
import type { EsrDecodeView } from '../../../preload/contract';
import { Hex } from '../common/Hex';

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

function FaultRow(props: { d: EsrDecodeView }): React.JSX.Element | null {
  const f = props.d.fsc;
  if (!f) return null;
  return (
    <tr>
      <th>Fault status</th>
      <td data-testid="esr-fsc">
        <code>{hex2(f.code)}</code> {f.meaning}
        {f.level !== null && <span className="muted">, level {f.level}</span>}
        {f.reserved && <span className="tag tag-warn">reserved</span>}
        {f.feature && <span className="tag">{f.feature}</span>}
      </td>
    </tr>
  );
}

function ClassRows(props: { d: EsrDecodeView }): React.JSX.Element {
  const { sysreg, brk, serror } = props.d;
  return (
    <>
      {sysreg && (
        <tr>
          <th>System register</th>
          <td>
            <code>{sysreg.instruction}</code>
            {sysreg.impdef && <span className="tag tag-warn">IMPLEMENTATION DEFINED space</span>}
            <div className="muted mono">{sysreg.kvmLine}</div>
          </td>
        </tr>
      )}
      {brk && (
        <tr>
          <th>BRK immediate</th>
          <td>
            <code>#0x{brk.immediate.toString(16)}</code> {brk.meaning ?? 'not an immediate Linux uses'}
            {brk.constant && <span className="muted"> ({brk.constant})</span>}
            {brk.detail && <div>{brk.detail}</div>}
          </td>
        </tr>
      )}
      {serror && (
        <tr>
          <th>SError</th>
          <td>
            <span className={`tag ${serror.linuxPanics ? 'tag-error' : 'tag-ok'}`}>{serror.severity}</span> {serror.description}
            <div className="muted">
              Linux {serror.linuxPanics ? 'panics' : 'carries on'}: {serror.linuxReason}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

export function DecodeFacts(props: { d: EsrDecodeView }): React.JSX.Element {
  const { d } = props;
  const a = d.addresses;
  return (
    <div className="decode-facts">
      <table className="kv">
        <tbody>
          <tr>
            <th>Exception class</th>
            <td data-testid="esr-ec">
              <code>{hex2(d.ec)}</code> {d.ecInfo.name ?? 'unallocated'}: {d.ecInfo.description}
            </td>
          </tr>
          <FaultRow d={d} />
          <ClassRows d={d} />
          <tr>
            <th>Kernel prints</th>
            <td>
              “{d.kernel.className}”{d.kernel.faultName && <>, “{d.kernel.faultName}”</>}
              {d.kernel.version && <span className="muted"> (Linux {d.kernel.version})</span>}
            </td>
          </tr>
          {a.far !== null && (
            <tr>
              <th>FAR</th>
              <td>
                <Hex value={a.far} label="FAR" /> {a.farValid === false && <span className="tag tag-warn">not valid (FnV = 1)</span>}
              </td>
            </tr>
          )}
          {a.ipa !== null && (
            <tr>
              <th>IPA</th>
              <td>
                <Hex value={a.ipa} label="IPA" /> {a.ipaValid === false && <span className="tag tag-warn">HPFAR_EL2 UNKNOWN here</span>}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {d.warnings.length > 0 && (
        <ul className="warnings" data-testid="esr-warnings">
          {d.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
