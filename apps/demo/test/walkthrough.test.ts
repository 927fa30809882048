import { awsErrorOf, createClient } from '@aws-trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoStack, startDemoStack } from '../src/stack';
import { runWalkthrough } from '../src/walkthrough';

let stack: DemoStack;
beforeAll(async () => {
  stack = await startDemoStack({ clock: 'virtual' });
});
afterAll(() => stack?.close());

describe('pnpm demo:walkthrough', () => {
  it('follows the deck to the end on a virtual clock', async () => {
    const lines: string[] = [];
    const result = await runWalkthrough({
      url: stack.url,
      log: (l) => lines.push(l),
      clockDriver: stack.clock!,
    });

    const ids = [...result.instanceIds].sort();
    expect(ids).toHaveLength(2);
    expect(ids.every((id) => /^i-[0-9a-f]{17}$/.test(id))).toBe(true);
    expect([...result.foundByTag].sort()).toEqual(ids);
    expect(result.healthCheckTarget).toBe('HTTP:80/health');
    expect(result.dnsName).toMatch(new RegExp(`^${result.loadBalancerName}-\\d+\\.`));
    expect(result.health.map((h) => [h.instanceId, h.state]).sort()).toEqual(
      ids.map((id) => [id, 'InService']),
    );
    expect([...result.zonesAfterEnable].sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect([...result.zonesAfterDisable].sort()).toEqual(['us-east-1a', 'us-east-1b']);
    expect(result.finalStates).toEqual(Object.fromEntries(ids.map((id) => [id, 'terminated'])));
    // The live stream saw both instances come up, beside the steps.
    for (const id of ids) {
      expect(result.stream).toContain(`${id} pending → running`);
      expect(result.stream).toContain(`${id} stopping → stopped`);
    }
    expect(lines.some((l) => l.includes('│') && l.includes('pending → running'))).toBe(true);
    expect(lines.filter((l) => /^\n\[\d\] /.test(l))).toHaveLength(7);

    // The emulator agrees: the instances are gone and so is the load balancer.
    const client = createClient({ url: stack.url });
    const out = await client.elb.describeLoadBalancers.query({});
    expect(out.LoadBalancerDescriptions ?? []).toEqual([]);
    const left = await client.ec2.describeInstances.query({ InstanceIds: ids });
    const states = (left.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name);
    expect(states).toEqual(['terminated', 'terminated']);
  });

  it('fails with the AWS error of a step and terminates what it launched', async () => {
    stack.emulator!.control.faults.fail(1, {
      service: 'elb',
      action: 'CreateLoadBalancer',
      code: 'TooManyLoadBalancers',
      status: 400,
      message: 'Exceeded quota of account 123456789012',
    });
    const lines: string[] = [];
    const failure = await runWalkthrough({
      url: stack.url,
      log: (l) => lines.push(l),
      clockDriver: stack.clock!,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(awsErrorOf(failure)).toMatchObject({
      code: 'TooManyLoadBalancers',
      message: 'Exceeded quota of account 123456789012',
    });
    expect(lines.some((l) => l.includes('failed: Exceeded quota'))).toBe(true);

    const launched = /reservation r-\w+: (i-\w+) \(pending\), (i-\w+) \(pending\)/.exec(lines.join('\n'));
    expect(launched).not.toBeNull();
    const client = createClient({ url: stack.url });
    const out = await client.ec2.describeInstances.query({ InstanceIds: [launched![1]!, launched![2]!] });
    const states = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name);
    expect(states).toEqual(['shutting-down', 'shutting-down']);
  });
});
