import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTRPCClient } from '../trpc';
import { useErrors } from './use-errors';

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
  /** False until `gateway.whoami` answered, so a button never flashes for a token that may not use it. */
  can(action: Action): boolean;
  /** A call answered FORBIDDEN (e.g. a region the token may not use): hide its buttons from now on. */
  deny(action: Action): void;
  /** The gateway has said what this token may call. */
  ready: boolean;
}

const PermissionsContext = createContext<Permissions | null>(null);

/**
 * Asks the gateway once what this token may call (`gateway.whoami`, computed by its own
 * authorization) and shows only those buttons. Nothing is probed, so no audit record is written.
 */
export function PermissionsProvider({ children }: { children: ReactNode }) {
  const client = useTRPCClient();
  const { report } = useErrors();
  const [allowed, setAllowed] = useState<ReadonlySet<string> | undefined>(undefined);
  const [denied, setDenied] = useState<ReadonlySet<Action>>(new Set());
  useEffect(() => {
    let live = true;
    client.gateway.whoami.query().then(
      (me) => {
        if (!live) return;
        setAllowed(
          new Set([...me.procedures.ec2.map((p) => `ec2.${p}`), ...me.procedures.elb.map((p) => `elb.${p}`)]),
        );
      },
      (error: unknown) => {
        if (!live) return;
        report(error, 'gateway.whoami');
        setAllowed(new Set());
      },
    );
    return () => {
      live = false;
    };
  }, [client, report]);
  const can = useCallback(
    (action: Action) => allowed?.has(action) === true && !denied.has(action),
    [allowed, denied],
  );
  const deny = useCallback((action: Action) => setDenied((d) => new Set(d).add(action)), []);
  const ready = allowed !== undefined;
  const value = useMemo(() => ({ can, deny, ready }), [can, deny, ready]);
  return <PermissionsContext.Provider value={value}>{children}</PermissionsContext.Provider>;
}

export function usePermissions(): Permissions {
  const value = useContext(PermissionsContext);
  if (!value) throw new Error('usePermissions outside PermissionsProvider');
  return value;
}
