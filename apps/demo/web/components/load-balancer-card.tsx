import type { ElbOutput } from '@aws-trpc/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useTRPC } from '../trpc';
import { HealthCheckEditor } from './health-check-editor';
import { LbInstances } from './lb-instances';
import { ListenersTable } from './listeners-table';
import { ZonesEditor } from './zones-editor';

export type LoadBalancerDescription = NonNullable<
  ElbOutput<'describeLoadBalancers'>['LoadBalancerDescriptions']
>[number];

export function LoadBalancerCard({
  lb,
  zoneNames,
  running,
}: {
  lb: LoadBalancerDescription;
  zoneNames: string[];
  running: string[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const onError = useActionError();
  const [confirming, setConfirming] = useState(false);
  const name = lb.LoadBalancerName ?? '';
  const remove = useMutation(
    trpc.elb.deleteLoadBalancer.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.elb.describeLoadBalancers.queryKey() }),
      onError: onError('elb.deleteLoadBalancer'),
    }),
  );
  return (
    <article className="card lb" data-lb={name}>
      <header className="panel-head">
        <h3>{name}</h3>
        <code className="muted dns">{lb.DNSName}</code>
        {can('elb.deleteLoadBalancer') ? (
          confirming ? (
            <span className="actions">
              <button
                type="button"
                className="danger"
                onClick={() => remove.mutate({ LoadBalancerName: name })}
              >
                Yes, delete
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              Delete
            </button>
          )
        ) : null}
      </header>
      <ListenersTable listeners={lb.ListenerDescriptions ?? []} />
      <ZonesEditor name={name} enabled={lb.AvailabilityZones ?? []} zoneNames={zoneNames} />
      <HealthCheckEditor name={name} healthCheck={lb.HealthCheck} />
      <LbInstances name={name} running={running} />
    </article>
  );
}
