import { useState } from 'react';
import { usePermissions } from '../hooks/use-permissions';
import type { InstanceView } from '../instance-view';
import { InstanceActions } from './instance-actions';
import { TagEditor } from './tag-editor';

export function InstanceRow({ row }: { row: InstanceView }) {
  const [editing, setEditing] = useState(false);
  const { can } = usePermissions();
  const tags = Object.entries(row.tags);
  const tagText = tags.length ? tags.map(([k, v]) => `${k}=${v}`).join(', ') : '';
  const mayTag = row.state !== 'terminated' && (can('ec2.createTags') || can('ec2.deleteTags'));
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
        ) : mayTag ? (
          <button type="button" className="link" onClick={() => setEditing(true)}>
            {tagText || 'add tags'}
          </button>
        ) : (
          <span>{tagText}</span>
        )}
      </td>
      <td>
        <InstanceActions id={row.id} state={row.state} />
      </td>
    </tr>
  );
}
