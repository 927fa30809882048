import { isAwsError } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack, TRANSITION_MS } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const listener = { Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 };
const healthCheck = {
  Target: 'HTTP:8080/health',
  Interval: 10,
  Timeout: 5,
  UnhealthyThreshold: 2,
  HealthyThreshold: 3,
};

describe('LoadBalancer', () => {
  it('create, health check, register, health, zones, tags, deregister, delete', async () => {
    const lb = await stack.elb.createLoadBalancer({
      LoadBalancerName: 'web',
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      Listeners: [listener],
    });
    expect(lb.name).toBe('web');
    expect(lb.dnsName).toContain('web');
    expect(lb.availabilityZones?.sort()).toEqual(['us-east-1a', 'us-east-1b']);
    expect(lb.listenerDescriptions?.[0]?.Listener).toEqual(expect.objectContaining(listener));

    const configured = await lb.configureHealthCheck(healthCheck);
    expect(configured.HealthCheck).toEqual(healthCheck);
    expect((await lb.load()).healthCheck).toEqual(healthCheck);

    const instances = await stack.ec2.createInstances({
      ImageId: await someImageId(stack),
      MinCount: 2,
      MaxCount: 2,
    });
    stack.emu.clock.advance(TRANSITION_MS);
    await lb.registerInstances(instances);
    expect((await lb.load()).instances?.map((i) => i.InstanceId).sort()).toEqual(
      instances.map((i) => i.id).sort(),
    );

    const before = await lb.instanceHealth();
    expect(before.map((s) => s.State)).toEqual(['OutOfService', 'OutOfService']);
    // InService after HealthyThreshold × Interval seconds of passing checks.
    stack.emu.clock.advance((healthCheck.HealthyThreshold * healthCheck.Interval + 1) * 1000);
    const after = await lb.instanceHealth();
    expect(after.map((s) => s.State)).toEqual(['InService', 'InService']);
    expect((await lb.instanceHealth([instances[0]?.id ?? ''])).map((s) => s.InstanceId)).toEqual([
      instances[0]?.id,
    ]);

    await lb.enableAvailabilityZones(['us-east-1c']);
    expect((await lb.load()).availabilityZones?.sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    await lb.disableAvailabilityZones(['us-east-1a']);
    expect((await lb.load()).availabilityZones?.sort()).toEqual(['us-east-1b', 'us-east-1c']);

    await lb.addTags([{ Key: 'env', Value: 'test' }]);
    expect(await lb.tags()).toEqual([{ Key: 'env', Value: 'test' }]);
    await lb.removeTags([{ Key: 'env' }]);
    expect(await lb.tags()).toEqual([]);

    await lb.deregisterInstances([instances[0]?.id ?? '']);
    expect((await lb.load()).instances?.map((i) => i.InstanceId)).toEqual([instances[1]?.id]);

    expect((await stack.elb.loadBalancers.all()).map((l) => l.name)).toContain('web');
    await lb.delete();
    const err = await lb.load().catch((e: unknown) => e);
    expect(isAwsError(err, 'LoadBalancerNotFound')).toBe(true);
  });

  it('the loadBalancers collection pages with PageSize/Marker', async () => {
    for (const name of ['a1', 'a2', 'a3']) {
      await stack.elb.createLoadBalancer({
        LoadBalancerName: name,
        AvailabilityZones: ['us-east-1a'],
        Listeners: [listener],
      });
    }
    const before = stack.emu.control.requests.count({ action: 'DescribeLoadBalancers' });
    const pages: string[][] = [];
    for await (const page of stack.elb.loadBalancers
      .filter({ LoadBalancerNames: ['a1', 'a2', 'a3'] })
      .pageSize(2)
      .pages()) {
      pages.push(page.map((l) => l.name));
    }
    expect(pages.flat().sort()).toEqual(['a1', 'a2', 'a3']);
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(stack.emu.control.requests.count({ action: 'DescribeLoadBalancers' }) - before).toBe(2);
  });
});
