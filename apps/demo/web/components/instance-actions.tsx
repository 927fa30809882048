import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useActionError } from '../hooks/use-action-error';
import { usePermissions } from '../hooks/use-permissions';
import { useWaiters } from '../hooks/use-waiters';
import { useTRPC } from '../trpc';

/** Start, stop, reboot, terminate (confirmed), each followed by its waiter where there is one. */
export function InstanceActions({ id, state }: { id: string; state: string }) {
  const trpc = useTRPC();
  const { can } = usePermissions();
  const { startWait } = useWaiters();
  const onError = useActionError();
  const [confirming, setConfirming] = useState(false);
  const InstanceIds = [id];
  const start = useMutation(
    trpc.ec2.startInstances.mutationOptions({
      onSuccess: () => startWait(`Start ${id}`, 'ec2.waitUntilInstanceRunning', { InstanceIds }),
      onError: onError('ec2.startInstances'),
    }),
  );
  const stop = useMutation(
    trpc.ec2.stopInstances.mutationOptions({
      onSuccess: () => startWait(`Stop ${id}`, 'ec2.waitUntilInstanceStopped', { InstanceIds }),
      onError: onError('ec2.stopInstances'),
    }),
  );
  const reboot = useMutation(
    trpc.ec2.rebootInstances.mutationOptions({ onError: onError('ec2.rebootInstances') }),
  );
  const terminate = useMutation(
    trpc.ec2.terminateInstances.mutationOptions({
      onSuccess: () => startWait(`Terminate ${id}`, 'ec2.waitUntilInstanceTerminated', { InstanceIds }),
      onError: onError('ec2.terminateInstances'),
    }),
  );
  if (state === 'terminated' || state === 'shutting-down') return null;
  if (confirming)
    return (
      <span className="actions confirm">
        Terminate {id}?{' '}
        <button
          type="button"
          className="danger"
          onClick={() => {
            setConfirming(false);
            terminate.mutate({ InstanceIds });
          }}
        >
          Yes, terminate
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </span>
    );
  return (
    <span className="actions">
      {state === 'stopped' && can('ec2.startInstances') ? (
        <button type="button" onClick={() => start.mutate({ InstanceIds })}>
          Start
        </button>
      ) : null}
      {state === 'running' && can('ec2.stopInstances') ? (
        <button type="button" onClick={() => stop.mutate({ InstanceIds })}>
          Stop
        </button>
      ) : null}
      {state === 'running' && can('ec2.rebootInstances') ? (
        <button type="button" onClick={() => reboot.mutate({ InstanceIds })}>
          Reboot
        </button>
      ) : null}
      {can('ec2.terminateInstances') ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Terminate
        </button>
      ) : null}
    </span>
  );
}
