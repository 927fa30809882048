import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import { describe, expect, it } from 'vitest';
import { subscriptionProcedures } from '../src/router';

/** The subscriptions of one service, by procedure name. */
function subscriptionsOf(service: 'ec2' | 'elb'): Procedures {
  const out: Record<string, unknown> = {};
  for (const [path, p] of subscriptionProcedures) {
    const [owner, name] = path.split('.') as [string, string];
    if (owner === service) out[name] = p;
  }
  return out as Procedures;
}

type Procedures = Record<
  string,
  { _def: { type: string; meta?: { service: string; operation: string; kind: string } } }
>;

/** The SDK's own waiters, counted from the installed packages (not from the catalog the code iterates). */
const sdkWaiters = (sdk: Record<string, unknown>) =>
  Object.keys(sdk)
    .filter((k) => k.startsWith('waitUntil'))
    .sort();

describe('waiter procedures', () => {
  it('exist for every SDK waiter of both services, as subscriptions named after the SDK function', () => {
    const ec2 = subscriptionsOf('ec2');
    const elb = subscriptionsOf('elb');
    const ec2Waiters = Object.keys(ec2).filter((k) => k.startsWith('waitUntil'));
    expect(sdkWaiters(ec2Sdk as unknown as Record<string, unknown>)).toHaveLength(43);
    expect(ec2Waiters.sort()).toEqual(sdkWaiters(ec2Sdk as unknown as Record<string, unknown>));
    expect(Object.keys(elb).sort()).toEqual(sdkWaiters(elbSdk as unknown as Record<string, unknown>));
    expect(Object.keys(elb)).toHaveLength(3);
    for (const p of [...Object.values(ec2), ...Object.values(elb)]) expect(p._def.type).toBe('subscription');
  });

  it('declare the operation they read in their meta, for authorization', () => {
    const ec2 = subscriptionsOf('ec2');
    const elb = subscriptionsOf('elb');
    expect(ec2.onInstanceStateChange?._def.meta).toEqual({
      service: 'ec2',
      operation: 'DescribeInstances',
      kind: 'subscription',
    });
    expect(ec2.waitUntilInstanceRunning?._def.meta).toEqual({
      service: 'ec2',
      operation: 'DescribeInstances',
      kind: 'subscription',
    });
    expect(ec2.waitUntilInstanceStatusOk?._def.meta?.operation).toBe('DescribeInstanceStatus');
    expect(ec2.waitUntilVolumeAvailable?._def.meta?.operation).toBe('DescribeVolumes');
    expect(elb.waitUntilInstanceInService?._def.meta).toEqual({
      service: 'elb',
      operation: 'DescribeInstanceHealth',
      kind: 'subscription',
    });
  });
});
