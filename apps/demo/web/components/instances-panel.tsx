import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { InstanceStream } from '../hooks/use-instance-stream';
import { instanceViews } from '../instance-view';
import { useTRPC } from '../trpc';
import { InstancesTable } from './instances-table';
import { LaunchForm } from './launch-form';
import { TagFilter, type TagFilterValue } from './tag-filter';

interface Props {
  stream: InstanceStream;
  tagFilter: TagFilterValue | undefined;
  onTagFilter(v: TagFilterValue | undefined): void;
}

/** Instances: details from DescribeInstances, states live from the stream. */
export function InstancesPanel({ stream, tagFilter, onTagFilter }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = tagFilter ? { Filters: [{ Name: `tag:${tagFilter.key}`, Values: [tagFilter.value] }] } : {};
  const described = useQuery(trpc.ec2.describeInstances.queryOptions(input));
  // A new instance or a new state may bring details (an IP, a zone): describe again, in the background.
  const lastEvent = stream.events[0];
  useEffect(() => {
    if (lastEvent) void queryClient.invalidateQueries({ queryKey: trpc.ec2.describeInstances.queryKey() });
  }, [lastEvent, queryClient, trpc]);
  const instances = (described.data?.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  const rows = instanceViews(instances, stream.records);
  return (
    <section className="panel instances" aria-label="instances">
      <div className="panel-head">
        <h2>Instances</h2>
        <TagFilter value={tagFilter} onChange={onTagFilter} />
      </div>
      <InstancesTable rows={rows} />
      <LaunchForm />
    </section>
  );
}
