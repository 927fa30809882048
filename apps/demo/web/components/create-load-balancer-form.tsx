import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useWaiters } from '../hooks/use-waiters';
import { useTRPC } from '../trpc';

/** Short, so a demo sees InService in about ten seconds (AWS's default is 30 s × 10). */
export const demoHealthCheck = {
  Target: 'HTTP:80/',
  Interval: 5,
  Timeout: 2,
  UnhealthyThreshold: 2,
  HealthyThreshold: 2,
};

/** CreateLoadBalancer with one listener, then ConfigureHealthCheck and RegisterInstances, then waits for InService. */
export function CreateLoadBalancerForm({ zoneNames, running }: { zoneNames: string[]; running: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const { startWait } = useWaiters();
  const onError = useActionError();
  const [name, setName] = useState('demo-web');
  const [protocol, setProtocol] = useState('HTTP');
  const [lbPort, setLbPort] = useState(80);
  const [instancePort, setInstancePort] = useState(80);
  const [zones, setZones] = useState<string[] | undefined>();
  const [register, setRegister] = useState(true);
  const create = useMutation(trpc.elb.createLoadBalancer.mutationOptions());
  const health = useMutation(trpc.elb.configureHealthCheck.mutationOptions());
  const registerInstances = useMutation(trpc.elb.registerInstancesWithLoadBalancer.mutationOptions());
  if (!can('elb.createLoadBalancer')) return null;
  const chosenZones = zones ?? zoneNames.slice(0, 2);
  const busy = create.isPending || health.isPending || registerInstances.isPending;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const LoadBalancerName = name.trim();
    let step: Parameters<typeof onError>[0] = 'elb.createLoadBalancer';
    try {
      await create.mutateAsync({
        LoadBalancerName,
        Listeners: [
          {
            Protocol: protocol,
            LoadBalancerPort: lbPort,
            InstanceProtocol: protocol,
            InstancePort: instancePort,
          },
        ],
        AvailabilityZones: chosenZones,
      });
      step = 'elb.configureHealthCheck';
      await health.mutateAsync({
        LoadBalancerName,
        HealthCheck: {
          ...demoHealthCheck,
          Target: `${protocol}:${instancePort}${protocol.startsWith('HTTP') ? '/' : ''}`,
        },
      });
      if (register && running.length) {
        step = 'elb.registerInstancesWithLoadBalancer';
        await registerInstances.mutateAsync({
          LoadBalancerName,
          Instances: running.map((InstanceId) => ({ InstanceId })),
        });
        startWait(`${LoadBalancerName}: InService`, 'elb.waitUntilInstanceInService', { LoadBalancerName });
      }
    } catch (error) {
      onError(step)(error);
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.elb.describeLoadBalancers.queryKey() });
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="create load balancer">
      <h3>Create a load balancer</h3>
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-label="load balancer name"
          pattern="[a-zA-Z0-9\-]{1,32}"
        />
      </label>
      <label>
        Listener
        <span className="inline">
          <select value={protocol} onChange={(e) => setProtocol(e.target.value)} aria-label="protocol">
            {['HTTP', 'TCP'].map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
          <input
            type="number"
            min={1}
            max={65535}
            value={lbPort}
            onChange={(e) => setLbPort(Number(e.target.value))}
            aria-label="load balancer port"
          />
          →
          <input
            type="number"
            min={1}
            max={65535}
            value={instancePort}
            onChange={(e) => setInstancePort(Number(e.target.value))}
            aria-label="instance port"
          />
        </span>
      </label>
      <fieldset>
        <legend>Zones</legend>
        {zoneNames.map((z) => (
          <label key={z} className="check">
            <input
              type="checkbox"
              checked={chosenZones.includes(z)}
              onChange={(e) =>
                setZones(e.target.checked ? [...chosenZones, z] : chosenZones.filter((c) => c !== z))
              }
            />
            {z}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={register} onChange={(e) => setRegister(e.target.checked)} />
        Register the {running.length} running instance{running.length === 1 ? '' : 's'}
      </label>
      <button type="submit" disabled={busy || !name.trim() || !chosenZones.length}>
        {busy ? 'Creating…' : 'Create'}
      </button>
    </form>
  );
}
