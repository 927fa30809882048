import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  ElasticLoadBalancingClient,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { emulatorCredentials } from '@aws-trpc/emulator';
import type { WaiterEvent } from '@aws-trpc/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, type StreamsHarness, startStreamsHarness } from './streams-harness';

let h: StreamsHarness | undefined;
let elb: ElasticLoadBalancingClient | undefined;
afterEach(async () => {
  elb?.destroy();
  await h?.close();
  h = undefined;
});

describe('elb.waitUntilInstanceInService over SSE', () => {
  it('streams health progress on its own schedule and succeeds once the instance is InService', async () => {
    h = await startStreamsHarness();
    elb = new ElasticLoadBalancingClient({
      region: 'us-east-1',
      endpoint: h.emu.url,
      credentials: emulatorCredentials,
    });
    const LoadBalancerName = 'web';
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName,
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }],
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName,
        HealthCheck: {
          Target: 'TCP:80',
          Interval: 5,
          Timeout: 2,
          HealthyThreshold: 2,
          UnhealthyThreshold: 2,
        },
      }),
    );
    const id = await h.run({ Placement: { AvailabilityZone: 'us-east-1a' } });
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName, Instances: [{ InstanceId: id }] }),
    );

    const events = collect<WaiterEvent>();
    const errors: unknown[] = [];
    const sub = h.client.elb.waitUntilInstanceInService.subscribe(
      {
        LoadBalancerName,
        Instances: [{ InstanceId: id }],
        // AWS's minimum for ELB's waiters is 15 s (the SDK's minDelay); less is refused.
        minDelaySeconds: 15,
        maxDelaySeconds: 20,
        maxWaitSeconds: 300,
      },
      { onData: (e) => events.push(e as WaiterEvent), onError: (e) => errors.push(e) },
    );
    // Each progress event means the next delay is armed: move the clock by the largest delay, bounded.
    for (let n = 1; n <= 30; n++) {
      const last = (await events.until(n))[n - 1]!;
      if (last.type === 'result') break;
      await h.scheduler.advance(20_000);
    }
    sub.unsubscribe();
    const all = events.events;
    const result = all[all.length - 1];
    expect(all[0]).toMatchObject({ type: 'progress', attempt: 1, observed: { [id]: 'OutOfService' } });
    expect(result).toMatchObject({ type: 'result', outcome: 'success' });
    const output =
      result?.type === 'result' && result.outcome === 'success' ? (result.output as any) : undefined;
    expect(output.InstanceStates).toEqual([expect.objectContaining({ InstanceId: id, State: 'InService' })]);
    expect(h.emu.control.requests.count({ service: 'elb', action: 'DescribeInstanceHealth' })).toBe(
      all.length,
    );
    expect(errors).toEqual([]);
  });
});
