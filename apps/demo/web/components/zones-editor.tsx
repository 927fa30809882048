import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useTRPC } from '../trpc';

/** Enable/DisableAvailabilityZonesForLoadBalancer, one checkbox per zone of the region. */
export function ZonesEditor({
  name,
  enabled,
  zoneNames,
}: {
  name: string;
  enabled: string[];
  zoneNames: string[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const onError = useActionError();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.elb.describeLoadBalancers.queryKey() });
  const enable = useMutation(
    trpc.elb.enableAvailabilityZonesForLoadBalancer.mutationOptions({
      onSuccess: refresh,
      onError: onError('elb.enableAvailabilityZonesForLoadBalancer'),
    }),
  );
  const disable = useMutation(
    trpc.elb.disableAvailabilityZonesForLoadBalancer.mutationOptions({
      onSuccess: refresh,
      onError: onError('elb.disableAvailabilityZonesForLoadBalancer'),
    }),
  );
  return (
    <div className="sub">
      <h4>Zones</h4>
      <div className="chips">
        {zoneNames.map((z) => {
          const on = enabled.includes(z);
          const allowed = on
            ? can('elb.disableAvailabilityZonesForLoadBalancer')
            : can('elb.enableAvailabilityZonesForLoadBalancer');
          return (
            <label key={z} className={`check chip ${on ? 'on' : ''}`}>
              <input
                type="checkbox"
                checked={on}
                disabled={!allowed || enable.isPending || disable.isPending}
                aria-label={`zone ${z}`}
                onChange={() =>
                  (on ? disable : enable).mutate({ LoadBalancerName: name, AvailabilityZones: [z] })
                }
              />
              {z}
            </label>
          );
        })}
      </div>
    </div>
  );
}
