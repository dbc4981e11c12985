// A 64-bit value as the API gives it (a hex string), monospaced, with a copy button beside it.
import { CopyButton } from './CopyButton';

export function Hex(props: { value: string | null; label?: string; testId?: string }): React.JSX.Element {
  if (props.value === null) return <span className="muted">—</span>;
  return (
    <span className="hex" data-testid={props.testId}>
      <code>{props.value}</code>
      <CopyButton text={props.value} label="Copy" title={`Copy ${props.label ?? 'value'} ${props.value}`} />
    </span>
  );
}
