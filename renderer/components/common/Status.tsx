// Loading, error and empty states. Each takes the space its content will take (a `minHeight` from the
// caller), so nothing below jumps when the data arrives.
import type { ReactNode } from 'react';
import type { Load } from '../../state/load';

export function Loading(props: { label?: string; minHeight?: number }): React.JSX.Element {
  return (
    <div className="status status-loading" style={{ minHeight: props.minHeight ?? 48 }} aria-busy="true" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="muted">{props.label ?? 'Loading…'}</span>
    </div>
  );
}

export function ErrorNote(props: { message: string; title?: string; minHeight?: number; onRetry?: () => void }): React.JSX.Element {
  return (
    <div className="status status-error" role="alert" style={{ minHeight: props.minHeight ?? 48 }}>
      <strong>{props.title ?? 'Something went wrong'}</strong>
      <span>{props.message}</span>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty(props: { title: string; children?: ReactNode; minHeight?: number; testId?: string }): React.JSX.Element {
  return (
    <div className="status status-empty" style={{ minHeight: props.minHeight ?? 48 }} data-testid={props.testId}>
      <strong>{props.title}</strong>
      {props.children}
    </div>
  );
}

/** Renders a Load: the value (also the previous one while reloading), or a placeholder of the same height. */
export function LoadView<T>(props: {
  load: Load<T>;
  minHeight?: number;
  what?: string;
  onRetry?: () => void;
  children: (value: T, stale: boolean) => ReactNode;
}): React.JSX.Element {
  const { load } = props;
  if (load.state === 'ready') return <>{props.children(load.value, false)}</>;
  if (load.state === 'loading') {
    if (load.previous !== null) return <>{props.children(load.previous, true)}</>;
    return <Loading label={props.what ? `Loading ${props.what}…` : undefined} minHeight={props.minHeight} />;
  }
  return (
    <ErrorNote
      title={props.what ? `Could not load ${props.what}` : undefined}
      message={load.message}
      minHeight={props.minHeight}
      onRetry={props.onRetry}
    />
  );
}
