import type { WaiterObserved } from '@aws-trpc/shared';

const maxDepth = 4;
const maxObserved = 500;

/**
 * The states a describe output shows, keyed by resource id, for progress events: e.g.
 * `{ 'i-0abc': 'pending' }`, `{ 'vol-1': 'available' }`, ELB's `{ 'i-0abc': 'OutOfService' }`.
 * Generic over every waiter's output: an object with an `…Id` and a state-like member is a resource.
 */
export function observeStates(output: unknown): WaiterObserved {
  const observed: WaiterObserved = {};
  walk(output, observed, 0);
  return observed;
}

function walk(value: unknown, out: WaiterObserved, depth: number): void {
  if (depth > maxDepth || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) {
      if (Object.keys(out).length >= maxObserved) return;
      walk(v, out, depth + 1);
    }
    return;
  }
  const o = value as Record<string, unknown>;
  const id = resourceId(o);
  const state = stateOf(o);
  if (id && state) out[id] = state;
  for (const [k, v] of Object.entries(o)) if (Array.isArray(v) && k !== 'Tags') walk(v, out, depth + 1);
}

/** Ids that name the resource itself rather than a related one (an Image also has SourceInstanceId). */
const primaryIds = [
  'InstanceId',
  'ImageId',
  'VolumeId',
  'SnapshotId',
  'NatGatewayId',
  'NetworkInterfaceId',
  'SubnetId',
  'VpcId',
];

function resourceId(o: Record<string, unknown>): string | undefined {
  for (const k of primaryIds) if (typeof o[k] === 'string') return o[k] as string;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' && k.endsWith('Id') && k !== 'OwnerId' && k !== 'RequesterId') return v;
  }
  return typeof o.LoadBalancerName === 'string' ? o.LoadBalancerName : undefined;
}

/** `State` as a string or `{ Name }`; DescribeInstanceStatus adds the status checks: `running/ok/ok`. */
function stateOf(o: Record<string, unknown>): string | undefined {
  const named = (v: unknown): string | undefined =>
    typeof v === 'string'
      ? v
      : v && typeof v === 'object'
        ? str((v as Record<string, unknown>).Name)
        : undefined;
  const base = named(o.State) ?? named(o.InstanceState) ?? str(o.Status) ?? named(o.Status);
  if (!base) return undefined;
  const checks = [o.InstanceStatus, o.SystemStatus]
    .map((c) => (c && typeof c === 'object' ? str((c as Record<string, unknown>).Status) : undefined))
    .filter((c): c is string => c !== undefined);
  return checks.length ? [base, ...checks].join('/') : base;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * States from which the awaited one cannot come by itself. The SDK's acceptors miss these and would
 * retry until the timeout (InstanceRunning fails on stopping, but a stopped instance only retries), so
 * the gateway fails fast on them. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
 */
const deadEnds: Record<string, readonly string[]> = {
  InstanceRunning: ['stopped'],
  InstanceStopped: ['shutting-down'],
  InstanceStatusOk: ['stopping', 'stopped', 'shutting-down', 'terminated'],
  SystemStatusOk: ['stopping', 'stopped', 'shutting-down', 'terminated'],
};

/** A failure reason when an observed resource is at a dead end for this waiter. */
export function deadEndReason(waiterName: string, observed: WaiterObserved): string | undefined {
  const ends = deadEnds[waiterName];
  if (!ends) return undefined;
  const hits = Object.entries(observed).filter(([, s]) => ends.includes(s.split('/')[0] ?? ''));
  return hits.length ? hits.map(([id, s]) => `${id} is ${s}`).join(', ') : undefined;
}
