import { describe, expect, it } from 'vitest';
import type { InstanceView } from '../src/core/types';
import { defaultAttributes } from '../src/services/elb/attributes';
import { instanceHealth } from '../src/services/elb/health';
import type { LoadBalancer } from '../src/services/elb/state';

/**
 * The health derivation alone, on instance views whose timing we choose (the end-to-end behaviour over
 * the SDK is in elb-health.test.ts). Interval 10 s, HealthyThreshold 3, UnhealthyThreshold 2.
 */
const s = 1000;
const t0 = 1_000_000 * s;

function loadBalancer(zones: [string, number][] = [['us-east-1a', t0]]): LoadBalancer {
  return {
    name: 'lb',
    dnsName: 'lb-1.us-east-1.elb.amazonaws.com',
    scheme: 'internet-facing',
    createdAt: t0,
    listeners: new Map(),
    zones: new Map(zones),
    subnets: [],
    securityGroups: [],
    healthCheck: { Target: 'TCP:80', Interval: 10, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 2 },
    healthCheckSince: t0,
    instances: new Map(),
    policies: new Map(),
    backendPolicies: new Map(),
    attributes: defaultAttributes(),
    tags: new Map(),
  };
}

const view = (
  state: InstanceView['state'],
  stateSince: number,
  availabilityZone = 'us-east-1a',
): InstanceView => ({
  instanceId: 'i-0123456789abcdef0',
  state,
  stateSince,
  availabilityZone,
});

describe('instanceHealth', () => {
  it('passes HealthyThreshold × Interval after the later of registration and running', () => {
    const lb = loadBalancer();
    const running = view('running', t0 + 5 * s);
    expect(instanceHealth(lb, t0, running, t0 + 9 * s)).toMatchObject({
      State: 'OutOfService',
      ReasonCode: 'ELB',
      Description: 'Instance registration is still in progress.',
    });
    expect(instanceHealth(lb, t0, running, t0 + 34_999)).toMatchObject({
      State: 'OutOfService',
      Description:
        'Instance has not passed the configured HealthyThreshold number of health checks consecutively.',
    });
    expect(instanceHealth(lb, t0, running, t0 + 35 * s)).toEqual({
      State: 'InService',
      ReasonCode: 'N/A',
      Description: 'N/A',
    });
  });

  it('starts over when the health check is configured again', () => {
    const lb = loadBalancer();
    lb.healthCheckSince = t0 + 100 * s;
    const running = view('running', t0);
    expect(instanceHealth(lb, t0, running, t0 + 129 * s).State).toBe('OutOfService');
    expect(instanceHealth(lb, t0, running, t0 + 130 * s).State).toBe('InService');
  });

  it('fails UnhealthyThreshold × Interval after an InService instance leaves running, then reports EC2 state', () => {
    const lb = loadBalancer();
    const stopping = view('stopping', t0 + 100 * s);
    expect(instanceHealth(lb, t0, stopping, t0 + 119 * s).State).toBe('InService');
    expect(instanceHealth(lb, t0, stopping, t0 + 120 * s)).toEqual({
      State: 'OutOfService',
      ReasonCode: 'Instance',
      Description:
        'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
    });
    expect(instanceHealth(lb, t0, view('stopped', t0 + 105 * s), t0 + 105 * s)).toEqual({
      State: 'OutOfService',
      ReasonCode: 'Instance',
      Description: 'Instance is in stopped state.',
    });
    expect(instanceHealth(lb, t0, view('terminated', t0 + 105 * s), t0 + 105 * s).Description).toBe(
      'Instance is in terminated state.',
    );
    expect(instanceHealth(lb, t0, undefined, t0).Description).toBe('Instance is in terminated state.');
    expect(instanceHealth(lb, t0, view('pending', t0), t0).Description).toBe('Instance is in pending state.');
  });

  it('keeps an instance in a zone the load balancer does not serve OutOfService, and restarts checks when the zone is enabled', () => {
    const lb = loadBalancer();
    const inB = view('running', t0, 'us-east-1b');
    expect(instanceHealth(lb, t0, inB, t0 + 1000 * s)).toEqual({
      State: 'OutOfService',
      ReasonCode: 'ELB',
      Description:
        'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
    });
    lb.zones.set('us-east-1b', t0 + 1000 * s);
    expect(instanceHealth(lb, t0, inB, t0 + 1029 * s).State).toBe('OutOfService');
    expect(instanceHealth(lb, t0, inB, t0 + 1030 * s).State).toBe('InService');
  });
});
