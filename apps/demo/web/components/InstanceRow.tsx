import { useState } from 'react';
import type { InstanceView } from '../instanceView';
import { InstanceActions } from './InstanceActions';
import { TagEditor } from './TagEditor';

export function InstanceRow({ row }: { row: InstanceView }) {
  const [editing, setEditing] = useState(false);
  const tags = Object.entries(row.tags);
  return (
    <tr data-instance-id={row.id} className={row.state === 'terminated' ? 'gone' : undefined}>
      <td>
        <code>{row.id}</code>
        {row.tags.Name ? <div className="muted">{row.tags.Name}</div> : null}
      </td>
      <td>
        <span className={`state ${row.state}`} data-testid="state">
          {row.state}
        </span>
      </td>
      <td className="wide">{row.instanceType}</td>
      <td className="wide">{row.availabilityZone}</td>
      <td>
        {editing ? (
          <TagEditor instanceId={row.id} tags={row.tags} onDone={() => setEditing(false)} />
        ) : (
          <button
            type="button"
            className="link"
            onClick={() => setEditing(true)}
            disabled={row.state === 'terminated'}
          >
            {tags.length ? tags.map(([k, v]) => `${k}=${v}`).join(', ') : 'add tags'}
          </button>
        )}
      </td>
      <td>
        <InstanceActions id={row.id} state={row.state} />
      </td>
    </tr>
  );
}
