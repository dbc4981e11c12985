// What KVM does with this exception (arch/arm64/kvm/handle_exit.c and mmu.c, by kernel generation): the
// handler, the path, what it prints, what KVM_RUN returns and what QEMU then says.
import type { KvmViewJson } from '../../../preload/contract';

export function KvmPanel(props: { kvm: KvmViewJson }): React.JSX.Element {
  const k = props.kvm;
  return (
    <section className="kvm-panel" data-testid="kvm-view">
      <h3>
        KVM <span className="muted">({k.generation})</span>
      </h3>
      <p>
        <code>{k.handler}</code> → <code>{k.path}</code>: {k.summary}
      </p>
      {k.message && (
        <pre className="log-quote" data-testid="kvm-message">
          {k.message}
        </pre>
      )}
      {k.errno && (
        <p>
          KVM_RUN fails with <code>-{k.errno}</code>
          {k.vmm && (
            <>
              ; QEMU: <code>{k.vmm}</code>
            </>
          )}
        </p>
      )}
      {k.outcomes.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>When</th>
              <th>Outcome</th>
              <th>Prints</th>
            </tr>
          </thead>
          <tbody>
            {k.outcomes.map((o) => (
              <tr key={o.when}>
                <td>{o.when}</td>
                <td>
                  {o.outcome}
                  {o.errno && <code> (-{o.errno})</code>}
                </td>
                <td>{o.message ? <code>{o.message}</code> : <span className="muted">nothing</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
