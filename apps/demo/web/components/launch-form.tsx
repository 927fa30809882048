import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useWaiters } from '../hooks/use-waiters';
import { useTRPC } from '../trpc';

/** Amazon's own current images; asking for every public AMI would list tens of thousands on AWS. */
const imageQuery = {
  Owners: ['amazon'],
  Filters: [{ Name: 'name', Values: ['al2023-ami-2023*', 'Windows_Server-2022-English-Full-Base*'] }],
};
/** Suggestions only; any type EC2 knows may be typed. */
const commonTypes = ['t3.micro', 't3.small', 't3.medium', 'm5.large', 'c5.large'];

/** `Key=Value, Key2=Value2` → EC2 tags. */
function parseTags(text: string) {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [Key = '', ...rest] = part.split('=');
      return { Key: Key.trim(), Value: rest.join('=').trim() };
    })
    .filter((t) => t.Key);
}

/** RunInstances: AMI, type, count, key pair, security groups and tags; then waits until running. */
export function LaunchForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const { startWait } = useWaiters();
  const onError = useActionError();
  const images = useQuery(trpc.ec2.describeImages.queryOptions(imageQuery));
  const keyPairs = useQuery(trpc.ec2.describeKeyPairs.queryOptions({}));
  const groups = useQuery(trpc.ec2.describeSecurityGroups.queryOptions({}));
  const [imageId, setImageId] = useState('');
  const [instanceType, setInstanceType] = useState('t3.micro');
  const [count, setCount] = useState(2);
  const [keyName, setKeyName] = useState('');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [tags, setTags] = useState('Name=web');
  const run = useMutation(
    trpc.ec2.runInstances.mutationOptions({
      onSuccess: (out) => {
        const InstanceIds = (out.Instances ?? []).map((i) => i.InstanceId ?? '');
        startWait(`Launch ${InstanceIds.join(', ')}`, 'ec2.waitUntilInstanceRunning', { InstanceIds });
        void queryClient.invalidateQueries({ queryKey: trpc.ec2.describeInstances.queryKey() });
      },
      onError: onError('ec2.runInstances'),
    }),
  );
  if (!can('ec2.runInstances')) return null;
  // x86_64 first: it fits the suggested t3 types (EC2 rejects an arm64 AMI on them).
  const imageList = [...(images.data?.Images ?? [])].sort(
    (a, b) =>
      Number(b.Architecture === 'x86_64') - Number(a.Architecture === 'x86_64') ||
      (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''),
  );
  const chosenImage = imageId || imageList[0]?.ImageId || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const Tags = parseTags(tags);
    run.mutate({
      ImageId: chosenImage,
      InstanceType: instanceType as never,
      MinCount: count,
      MaxCount: count,
      ...(keyName ? { KeyName: keyName } : {}),
      ...(groupIds.length ? { SecurityGroupIds: groupIds } : {}),
      ...(Tags.length ? { TagSpecifications: [{ ResourceType: 'instance', Tags }] } : {}),
    });
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="launch instances">
      <h3>Launch instances</h3>
      <label>
        AMI
        <select value={chosenImage} onChange={(e) => setImageId(e.target.value)} aria-label="AMI">
          {imageList.map((i) => (
            <option key={i.ImageId} value={i.ImageId}>
              {i.Name ?? i.ImageId} ({i.Architecture}, {i.ImageId})
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <input
          list="instance-types"
          value={instanceType}
          onChange={(e) => setInstanceType(e.target.value)}
          aria-label="instance type"
        />
        <datalist id="instance-types">
          {commonTypes.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </label>
      <label>
        Count
        <input
          type="number"
          min={1}
          max={20}
          value={count}
          onChange={(e) => setCount(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
          aria-label="count"
        />
      </label>
      <label>
        Key pair
        <select value={keyName} onChange={(e) => setKeyName(e.target.value)} aria-label="key pair">
          <option value="">(none)</option>
          {(keyPairs.data?.KeyPairs ?? []).map((k) => (
            <option key={k.KeyName} value={k.KeyName}>
              {k.KeyName}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Security groups</legend>
        {(groups.data?.SecurityGroups ?? []).map((g) => (
          <label key={g.GroupId} className="check">
            <input
              type="checkbox"
              checked={groupIds.includes(g.GroupId ?? '')}
              onChange={(e) =>
                setGroupIds((ids) =>
                  e.target.checked ? [...ids, g.GroupId ?? ''] : ids.filter((id) => id !== g.GroupId),
                )
              }
            />
            {g.GroupName} <span className="muted">{g.GroupId}</span>
          </label>
        ))}
      </fieldset>
      <label>
        Tags
        <input
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          placeholder="Name=web, env=demo"
          aria-label="tags"
        />
      </label>
      <button type="submit" disabled={!chosenImage || run.isPending}>
        {run.isPending ? 'Launching…' : 'Launch'}
      </button>
    </form>
  );
}
