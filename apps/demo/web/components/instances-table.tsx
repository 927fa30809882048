import type { InstanceView } from '../instance-view';
import { InstanceRow } from './instance-row';

export function InstancesTable({ rows }: { rows: InstanceView[] }) {
  if (!rows.length) return <p className="muted">No instances. Launch some below.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="instances">
        <thead>
          <tr>
            <th>Instance</th>
            <th>State</th>
            <th className="wide">Type</th>
            <th className="wide">Zone</th>
            <th>Tags</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <InstanceRow key={row.id} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
