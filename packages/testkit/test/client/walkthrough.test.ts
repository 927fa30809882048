/**
 * The classic boto3 walkthrough (the seed deck), with resources only: create instances, wait until
 * running, tag, filter by tag; a Classic load balancer with a health check, register, InService,
 * enable and disable a zone, deregister; stop all and terminate.
 */

import type { InstanceStateEvent } from '@aws-trpc/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, someImageId, startStack, TRANSITION_MS } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Moves time on whenever a waiter reports progress, so the wait ends without a real sleep. */
const advanceOnProgress = (ms: number) => () => void stack.scheduler.advance(ms);

it('runs the boto3 walkthrough with resources', async () => {
  const { ec2, elb } = stack;

  // Run instances (ec2.create_instances) with a key pair, a security group and user data.
  const key = await ec2.createKeyPair({ KeyName: 'walkthrough' });
  const group = await ec2.createSecurityGroup({ GroupName: 'walkthrough', Description: 'web' });
  await group.authorizeIngress({
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  });
  const instances = await ec2.createInstances({
    ImageId: await someImageId(stack),
    KeyName: key.name,
    InstanceType: 't3.micro',
    SecurityGroupIds: [group.id],
    MinCount: 2,
    MaxCount: 2,
    UserData: Buffer.from('#!/bin/sh\necho hello\n').toString('base64'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'walkthrough' }] }],
  });
  expect(instances).toHaveLength(2);

  // instances[0].wait_until_running(), with progress.
  const progress: string[][] = [];
  await Promise.all(
    instances.map((instance) =>
      instance.waitUntilRunning({
        minDelaySeconds: 1,
        onProgress: (p) => {
          progress.push(Object.values(p.observed));
          advanceOnProgress(TRANSITION_MS)();
        },
      }),
    ),
  );
  expect(progress.flat()).toContain('pending');
  // The waiter refreshed the objects it waited on.
  expect(instances.map((i) => i.state?.Name)).toEqual(['running', 'running']);

  // add_tag, then describe with a tag:Name filter.
  for (const [n, instance] of instances.entries()) await instance.addTag('role', `web-${n}`);
  const web = ec2.instances.filter({ Filters: [{ Name: 'tag:Name', Values: ['walkthrough'] }] });
  const found = await web.all();
  expect(found.map((i) => i.id).sort()).toEqual(instances.map((i) => i.id).sort());
  expect(found.flatMap((i) => i.tags ?? []).filter((t) => t.Key === 'role')).toHaveLength(2);

  // Create a load balancer with an HTTP listener in two zones, set its health check.
  const lb = await elb.createLoadBalancer({
    LoadBalancerName: 'walkthrough',
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }],
  });
  await lb.configureHealthCheck({
    Target: 'HTTP:80/health',
    Interval: 10,
    Timeout: 5,
    UnhealthyThreshold: 2,
    HealthyThreshold: 3,
  });
  expect((await elb.loadBalancers.all()).map((l) => l.name)).toEqual(['walkthrough']);

  // Register the instances and wait until they are InService.
  await lb.registerInstances(instances);
  // ELB's waiters poll AWS themselves: AWS's 15 s minimum delay applies (the default), and up to 30 s.
  await lb.waitUntilInService({ onProgress: advanceOnProgress(30_000) });
  expect((await lb.instanceHealth()).map((h) => h.State)).toEqual(['InService', 'InService']);

  // Enable, then disable an availability zone.
  await lb.enableAvailabilityZones(['us-east-1c']);
  expect((await lb.load()).availabilityZones?.sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
  await lb.disableAvailabilityZones(['us-east-1c']);
  expect((await lb.load()).availabilityZones?.sort()).toEqual(['us-east-1a', 'us-east-1b']);

  // Deregister, and watch one instance's state live while all of them stop.
  await lb.deregisterInstances(instances);
  expect((await lb.load()).instances ?? []).toEqual([]);
  const [first] = instances;
  if (!first) throw new Error('no instance');
  const states = first.onStateChange()[Symbol.asyncIterator]();
  const opening = (await states.next()).value as InstanceStateEvent;
  expect(opening.type).toBe('snapshot');

  const stopped = await web.stop();
  expect(stopped.ids).toHaveLength(2);
  await stack.scheduler.advance(TRANSITION_MS);
  const seen: string[] = [];
  for (let i = 0; i < 10 && seen.at(-1) !== 'stopped'; i++) {
    const event = (await states.next()).value as InstanceStateEvent;
    if (event.type === 'change') seen.push(event.state);
  }
  await states.return?.();
  // At rest the source polls slowly, so a short 'stopping' may fall between two reads.
  expect(seen.at(-1)).toBe('stopped');
  expect(seen.every((state) => state === 'stopping' || state === 'stopped')).toBe(true);
  await first.waitUntilStopped();
  expect(first.state?.Name).toBe('stopped');

  // Terminate them all.
  await web.terminate();
  await Promise.all(
    instances.map((i) =>
      i.waitUntilTerminated({ minDelaySeconds: 1, onProgress: advanceOnProgress(TRANSITION_MS) }),
    ),
  );
  expect((await web.all()).map((i) => i.state?.Name)).toEqual(['terminated', 'terminated']);
  await lb.delete();
});
