import { routes } from '../../state/route';
import { Empty } from '../common/Status';

export function NotFound(props: { what: string }): React.JSX.Element {
  return (
    <div className="page">
      <Empty title={`Nothing here: ${props.what}`} minHeight={200}>
        <a href={routes.home()}>Back to the bundles</a>
      </Empty>
    </div>
  );
}
