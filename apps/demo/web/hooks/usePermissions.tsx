import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { isForbidden } from '../awsError';
import { useTRPCClient } from '../trpc';
import { useErrors } from './useErrors';

/** The mutations the dashboard has buttons for, as `service.procedure`. */
export const actions = [
  'ec2.runInstances',
  'ec2.startInstances',
  'ec2.stopInstances',
  'ec2.rebootInstances',
  'ec2.terminateInstances',
  'ec2.createTags',
  'ec2.deleteTags',
  'elb.createLoadBalancer',
  'elb.deleteLoadBalancer',
  'elb.configureHealthCheck',
  'elb.registerInstancesWithLoadBalancer',
  'elb.deregisterInstancesFromLoadBalancer',
  'elb.enableAvailabilityZonesForLoadBalancer',
  'elb.disableAvailabilityZonesForLoadBalancer',
] as const;
export type Action = (typeof actions)[number];

interface Permissions {
  /** False until the probe answered, so a button never flashes for a token that may not use it. */
  can(action: Action): boolean;
  /** A call answered FORBIDDEN: hide its buttons from now on. */
  deny(action: Action): void;
  /** Every probe has answered. */
  ready: boolean;
}

const PermissionsContext = createContext<Permissions | null>(null);

/**
 * The gateway does not (yet) tell a token's permissions, so each action is probed once with an empty
 * input: authorization runs before input validation, so FORBIDDEN means "not this token" and
 * BAD_REQUEST means "allowed"; the empty input never reaches AWS.
 */
export function PermissionsProvider({ children }: { children: ReactNode }) {
  const client = useTRPCClient();
  const { report } = useErrors();
  const [allowed, setAllowed] = useState<Partial<Record<Action, boolean>>>({});
  useEffect(() => {
    let live = true;
    const untyped = client as unknown as Record<
      string,
      Record<string, { mutate(input: unknown): Promise<unknown> }>
    >;
    for (const action of actions) {
      const [service, procedure] = action.split('.') as [string, string];
      untyped[service]![procedure]!.mutate({}).then(
        () => live && setAllowed((a) => ({ ...a, [action]: true })),
        (error: unknown) => {
          if (!live) return;
          const code = (error as { data?: { code?: string } })?.data?.code;
          if (code === 'UNAUTHORIZED') report(error, action);
          setAllowed((a) => ({ ...a, [action]: !isForbidden(error) && code !== 'UNAUTHORIZED' }));
        },
      );
    }
    return () => {
      live = false;
    };
  }, [client, report]);
  const can = useCallback((action: Action) => allowed[action] === true, [allowed]);
  const deny = useCallback((action: Action) => setAllowed((a) => ({ ...a, [action]: false })), []);
  const ready = actions.every((a) => allowed[a] !== undefined);
  const value = useMemo(() => ({ can, deny, ready }), [can, deny, ready]);
  return <PermissionsContext.Provider value={value}>{children}</PermissionsContext.Provider>;
}

export function usePermissions(): Permissions {
  const value = useContext(PermissionsContext);
  if (!value) throw new Error('usePermissions outside PermissionsProvider');
  return value;
}
