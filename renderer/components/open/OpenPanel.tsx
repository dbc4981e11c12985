// Open a bundle: choose it (path, dialog, drop), follow the ingest (current file, bytes, lines) with a cancel
// button, then go to the bundle. A failed or cancelled ingest says so and leaves the database as it was.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { errorMessage } from '../../state/load';
import { routes } from '../../state/route';
import { navigate } from '../../state/use-route';
import { IngestProgress, type Progress } from './IngestProgress';
import { PathForm } from './PathForm';

interface Job {
  readonly path: string;
  readonly jobId: string | null;
}

export function OpenPanel(props: { electron: boolean; onIngested: () => void }): React.JSX.Element {
  const [job, setJob] = useState<Job | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'error' | 'cancelled'; text: string } | null>(null);
  const jobId = useRef<string | null>(null);
  // Events can overtake the answer that names their job (HTTP answer and event stream are separate
  // channels): the last event of every job is kept until the job is known.
  const latest = useRef(new Map<string, Progress>());
  const { onIngested } = props;

  const handle = useRef((p: Progress): void => {
    setProgress(p);
    if (!p.done) return;
    jobId.current = null;
    setJob(null);
    setCancelling(false);
    if (p.cancelled) setOutcome({ kind: 'cancelled', text: 'Ingest cancelled: nothing was kept.' });
    else if (p.error) setOutcome({ kind: 'error', text: p.error });
    else if (typeof p.bundleId === 'number') navigate(routes.bundle(p.bundleId));
  });

  // one subscription for the panel's life; events of other jobs are only remembered
  useEffect(
    () =>
      api.on('ingest:progress', (p) => {
        latest.current.set(p.jobId, p);
        if (p.done) onIngested();
        if (p.jobId === jobId.current) handle.current(p);
      }),
    [onIngested],
  );

  const open = (path: string): void => {
    setOutcome(null);
    setProgress(null);
    setJob({ path, jobId: null });
    api.invoke('bundles:ingest', { paths: [path] }).then(
      (r) => {
        jobId.current = r.jobId;
        setJob({ path, jobId: r.jobId });
        const early = latest.current.get(r.jobId);
        if (early) handle.current(early);
      },
      (e: unknown) => {
        setJob(null);
        setOutcome({ kind: 'error', text: errorMessage(e).message });
      },
    );
  };
  const cancel = (): void => {
    if (!job?.jobId) return;
    setCancelling(true);
    api.invoke('bundles:cancel', { jobId: job.jobId }).catch((e: unknown) => setOutcome({ kind: 'error', text: errorMessage(e).message }));
  };

  return (
    <section className="panel" data-testid="open-panel">
      <h2>Open a bundle</h2>
      <PathForm electron={props.electron} busy={job !== null} onOpen={open} />
      {job && <IngestProgress progress={progress} path={job.path} onCancel={cancel} cancelling={cancelling} />}
      {outcome && (
        <p role={outcome.kind === 'error' ? 'alert' : 'status'} className={outcome.kind === 'error' ? 'status-error ingest-outcome' : 'muted ingest-outcome'} data-testid="ingest-outcome">
          {outcome.text}
        </p>
      )}
    </section>
  );
}
