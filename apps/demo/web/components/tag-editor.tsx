import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useTRPC } from '../trpc';

/** CreateTags / DeleteTags on one instance. */
export function TagEditor({
  instanceId,
  tags,
  onDone,
}: {
  instanceId: string;
  tags: Record<string, string>;
  onDone(): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const onError = useActionError();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.ec2.describeInstances.queryKey() });
  const create = useMutation(
    trpc.ec2.createTags.mutationOptions({ onSuccess: refresh, onError: onError('ec2.createTags') }),
  );
  const remove = useMutation(
    trpc.ec2.deleteTags.mutationOptions({ onSuccess: refresh, onError: onError('ec2.deleteTags') }),
  );
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!key.trim()) return;
    create.mutate({ Resources: [instanceId], Tags: [{ Key: key.trim(), Value: value }] });
    setKey('');
    setValue('');
  };
  return (
    <div className="tag-editor">
      <ul>
        {Object.entries(tags).map(([k, v]) => (
          <li key={k}>
            {k}={v}{' '}
            {can('ec2.deleteTags') ? (
              <button
                type="button"
                className="link"
                aria-label={`remove tag ${k}`}
                onClick={() => remove.mutate({ Resources: [instanceId], Tags: [{ Key: k }] })}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {can('ec2.createTags') ? (
        <form className="row-form" onSubmit={add}>
          <input
            placeholder="key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            size={6}
            aria-label="tag key"
          />
          <input
            placeholder="value"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            size={8}
            aria-label="tag value"
          />
          <button type="submit">Add</button>
        </form>
      ) : null}
      <button type="button" className="link" onClick={onDone}>
        done
      </button>
    </div>
  );
}
