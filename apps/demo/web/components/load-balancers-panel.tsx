import { useQuery } from '@tanstack/react-query';
import type { InstanceStream } from '../hooks/use-instance-stream';
import { useTRPC } from '../trpc';
import { CreateLoadBalancerForm } from './create-load-balancer-form';
import { LoadBalancerCard } from './load-balancer-card';

/** Classic load balancers: each with listeners, health check, zones and instance health. */
export function LoadBalancersPanel({ stream }: { stream: InstanceStream }) {
  const trpc = useTRPC();
  // Polled slowly, so load balancers created or deleted elsewhere (the CLI, another tab) show up and go.
  const lbs = useQuery({ ...trpc.elb.describeLoadBalancers.queryOptions({}), refetchInterval: 3_000 });
  const zones = useQuery(trpc.ec2.describeAvailabilityZones.queryOptions({}));
  const zoneNames = (zones.data?.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter(Boolean);
  const running = [...stream.records.values()].filter((r) => r.state === 'running').map((r) => r.instanceId);
  return (
    <section className="panel lbs" aria-label="load balancers">
      <h2>Load balancers</h2>
      {(lbs.data?.LoadBalancerDescriptions ?? []).map((lb) => (
        <LoadBalancerCard key={lb.LoadBalancerName} lb={lb} zoneNames={zoneNames} running={running} />
      ))}
      {lbs.data && !lbs.data.LoadBalancerDescriptions?.length ? <p className="muted">None yet.</p> : null}
      <CreateLoadBalancerForm zoneNames={zoneNames} running={running} />
    </section>
  );
}
