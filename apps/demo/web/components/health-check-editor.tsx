import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useTRPC } from '../trpc';
import type { LoadBalancerDescription } from './load-balancer-card';

type HealthCheck = NonNullable<LoadBalancerDescription['HealthCheck']>;
const numbers = ['Interval', 'Timeout', 'UnhealthyThreshold', 'HealthyThreshold'] as const;

/** ConfigureHealthCheck; ELB itself checks the bounds (e.g. Timeout < Interval) and its error is shown. */
export function HealthCheckEditor({
  name,
  healthCheck,
}: {
  name: string;
  healthCheck: HealthCheck | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = usePermissions();
  const onError = useActionError();
  const [draft, setDraft] = useState<HealthCheck | undefined>();
  const save = useMutation(
    trpc.elb.configureHealthCheck.mutationOptions({
      onSuccess: () => {
        setDraft(undefined);
        return queryClient.invalidateQueries({ queryKey: trpc.elb.describeLoadBalancers.queryKey() });
      },
      onError: onError('elb.configureHealthCheck'),
    }),
  );
  if (!healthCheck) return null;
  const shown = draft ?? healthCheck;
  const editable = can('elb.configureHealthCheck');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ LoadBalancerName: name, HealthCheck: shown });
  };
  return (
    <form className="sub health-check" onSubmit={submit} aria-label={`health check of ${name}`}>
      <h4>Health check</h4>
      <label>
        Target
        <input
          value={shown.Target}
          disabled={!editable}
          onChange={(e) => setDraft({ ...shown, Target: e.target.value })}
          aria-label="target"
        />
      </label>
      {numbers.map((field) => (
        <label key={field}>
          {field}
          <input
            type="number"
            value={shown[field]}
            disabled={!editable}
            aria-label={field}
            onChange={(e) => setDraft({ ...shown, [field]: Number(e.target.value) })}
          />
        </label>
      ))}
      {editable && draft ? <button type="submit">Save</button> : null}
    </form>
  );
}
