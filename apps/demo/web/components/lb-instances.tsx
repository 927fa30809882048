import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useTRPC } from '../trpc';

function isNotFound(error: unknown): boolean {
  return (error as { data?: { code?: string } } | null)?.data?.code === 'NOT_FOUND';
}

/** Registered instances and their health (DescribeInstanceHealth, polled every second); register and deregister. */
export function LbInstances({ name, running }: { name: string; running: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const onError = useActionError();
  const [pick, setPick] = useState('');
  const health = useQuery({
    ...trpc.elb.describeInstanceHealth.queryOptions({ LoadBalancerName: name }),
    // Every second, until the load balancer is gone (deleted elsewhere): then the list drops it.
    refetchInterval: (query) => (isNotFound(query.state.error) ? false : 1_000),
  });
  const gone = isNotFound(health.error);
  useEffect(() => {
    if (gone) void queryClient.invalidateQueries({ queryKey: trpc.elb.describeLoadBalancers.queryKey() });
  }, [gone, queryClient, trpc]);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.elb.describeInstanceHealth.queryKey() });
  const register = useMutation(
    trpc.elb.registerInstancesWithLoadBalancer.mutationOptions({
      onSuccess: refresh,
      onError: onError('elb.registerInstancesWithLoadBalancer'),
    }),
  );
  const deregister = useMutation(
    trpc.elb.deregisterInstancesFromLoadBalancer.mutationOptions({
      onSuccess: refresh,
      onError: onError('elb.deregisterInstancesFromLoadBalancer'),
    }),
  );
  const states = health.data?.InstanceStates ?? [];
  const registered = new Set(states.map((s) => s.InstanceId));
  const candidates = running.filter((id) => !registered.has(id));
  return (
    <div className="sub">
      <h4>Instances</h4>
      <ul className="plain" data-testid="lb-health">
        {states.map((s) => (
          <li key={s.InstanceId} data-instance-id={s.InstanceId}>
            <code>{s.InstanceId}</code>{' '}
            <span className={`health ${s.State}`} title={s.Description}>
              {s.State}
            </span>
            {can('elb.deregisterInstancesFromLoadBalancer') ? (
              <button
                type="button"
                className="link"
                onClick={() =>
                  deregister.mutate({ LoadBalancerName: name, Instances: [{ InstanceId: s.InstanceId }] })
                }
              >
                deregister
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {can('elb.registerInstancesWithLoadBalancer') && candidates.length ? (
        <span className="row-form">
          <select value={pick} onChange={(e) => setPick(e.target.value)} aria-label="instance to register">
            <option value="">register an instance…</option>
            {candidates.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
          <button
            type="button"
            disabled={!pick}
            onClick={() => register.mutate({ LoadBalancerName: name, Instances: [{ InstanceId: pick }] })}
          >
            Register
          </button>
        </span>
      ) : null}
    </div>
  );
}
