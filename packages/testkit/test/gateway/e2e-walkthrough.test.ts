import type { Instance } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';

/**
 * The classic boto3 walkthrough as typed client calls, through the real HTTP gateway, the real SDK
 * and the emulator. Time moves only when the test advances the emulator's virtual clock.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function describe2(ids: string[]): Promise<Instance[]> {
  const out = await h.client.ec2.describeInstances.query({ InstanceIds: ids });
  return (out.Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .sort((a, b) => (a.InstanceId ?? '').localeCompare(b.InstanceId ?? ''));
}
const states = async (ids: string[]) => (await describe2(ids)).map((i) => i.State?.Name);
/** Moves the virtual clock past one lifecycle transition. */
const pass = (delay: 'pending' | 'stopping' | 'shuttingDown' | 'rebooting') =>
  h.emu.clock.advance(h.emu.control.delays.get()[delay] + 1);

describe('EC2 instances, end to end', () => {
  let ids: string[] = [];

  it('runs 2 tagged instances, waits until running, and finds them by tag:Name', async () => {
    const { Images } = await h.client.ec2.describeImages.query({});
    const ImageId = Images?.[0]?.ImageId;
    expect(ImageId).toBeDefined();
    const run = await h.client.ec2.runInstances.mutate({
      ImageId,
      InstanceType: 't3.micro',
      MinCount: 2,
      MaxCount: 2,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'walkthrough' }] }],
    });
    ids = (run.Instances ?? []).map((i) => i.InstanceId ?? '').sort();
    expect(ids).toHaveLength(2);
    expect(run.Instances?.[0]?.LaunchTime).toBeInstanceOf(Date);
    expect(await states(ids)).toEqual(['pending', 'pending']);

    pass('pending');
    expect(await states(ids)).toEqual(['running', 'running']);

    const byTag = await h.client.ec2.describeInstances.query({
      Filters: [
        { Name: 'tag:Name', Values: ['walkthrough'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
    });
    const found = (byTag.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(found.map((i) => i.InstanceId).sort()).toEqual(ids);
    expect(found[0]?.Tags).toContainEqual({ Key: 'Name', Value: 'walkthrough' });
    const none = await h.client.ec2.describeInstances.query({
      Filters: [{ Name: 'tag:Name', Values: ['other'] }],
    });
    expect((none.Reservations ?? []).flatMap((r) => r.Instances ?? [])).toEqual([]);
  });

  it('stops, starts, reboots and terminates them', async () => {
    const stop = await h.client.ec2.stopInstances.mutate({ InstanceIds: ids });
    expect(stop.StoppingInstances?.map((s) => s.CurrentState?.Name)).toEqual(['stopping', 'stopping']);
    pass('stopping');
    expect(await states(ids)).toEqual(['stopped', 'stopped']);

    const start = await h.client.ec2.startInstances.mutate({ InstanceIds: ids });
    expect(start.StartingInstances?.map((s) => s.PreviousState?.Name)).toEqual(['stopped', 'stopped']);
    pass('pending');
    expect(await states(ids)).toEqual(['running', 'running']);

    await h.client.ec2.rebootInstances.mutate({ InstanceIds: ids });
    expect(await states(ids)).toEqual(['running', 'running']);

    const term = await h.client.ec2.terminateInstances.mutate({ InstanceIds: ids });
    expect(term.TerminatingInstances?.map((s) => s.CurrentState?.Name)).toEqual([
      'shutting-down',
      'shutting-down',
    ]);
    pass('shuttingDown');
    expect(await states(ids)).toEqual(['terminated', 'terminated']);
  });
});

describe('a Classic load balancer, end to end', () => {
  const LoadBalancerName = 'walkthrough-lb';
  let zones: string[] = [];
  let instanceIds: string[] = [];

  it('creates a load balancer with an HTTP listener in two zones and configures its health check', async () => {
    const az = await h.client.ec2.describeAvailabilityZones.query({});
    zones = (az.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').slice(0, 3);
    expect(zones.length).toBe(3);
    const created = await h.client.elb.createLoadBalancer.mutate({
      LoadBalancerName,
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 }],
      AvailabilityZones: zones.slice(0, 2),
    });
    expect(created.DNSName).toContain(LoadBalancerName);

    const hc = await h.client.elb.configureHealthCheck.mutate({
      LoadBalancerName,
      HealthCheck: {
        Target: 'HTTP:8080/health',
        Interval: 10,
        Timeout: 5,
        UnhealthyThreshold: 2,
        HealthyThreshold: 2,
      },
    });
    expect(hc.HealthCheck?.Target).toBe('HTTP:8080/health');
  });

  it('registers and deregisters instances', async () => {
    const { Images } = await h.client.ec2.describeImages.query({});
    const run = await h.client.ec2.runInstances.mutate({
      ImageId: Images?.[0]?.ImageId,
      MinCount: 2,
      MaxCount: 2,
      Placement: { AvailabilityZone: zones[0] },
    });
    instanceIds = (run.Instances ?? []).map((i) => i.InstanceId ?? '');
    pass('pending');

    const registered = await h.client.elb.registerInstancesWithLoadBalancer.mutate({
      LoadBalancerName,
      Instances: instanceIds.map((InstanceId) => ({ InstanceId })),
    });
    expect(registered.Instances?.map((i) => i.InstanceId).sort()).toEqual([...instanceIds].sort());

    h.emu.clock.advance(60_000);
    const health = await h.client.elb.describeInstanceHealth.query({ LoadBalancerName });
    expect(health.InstanceStates?.map((s) => s.State)).toEqual(['InService', 'InService']);

    const [first = '', second = ''] = instanceIds;
    const deregistered = await h.client.elb.deregisterInstancesFromLoadBalancer.mutate({
      LoadBalancerName,
      Instances: [{ InstanceId: first }],
    });
    expect(deregistered.Instances?.map((i) => i.InstanceId)).toEqual([second]);
  });

  it('enables and disables a zone, and describes the load balancer', async () => {
    const [a = '', b = '', c = ''] = zones;
    const enabled = await h.client.elb.enableAvailabilityZonesForLoadBalancer.mutate({
      LoadBalancerName,
      AvailabilityZones: [c],
    });
    expect([...(enabled.AvailabilityZones ?? [])].sort()).toEqual([a, b, c].sort());
    const disabled = await h.client.elb.disableAvailabilityZonesForLoadBalancer.mutate({
      LoadBalancerName,
      AvailabilityZones: [b],
    });
    expect([...(disabled.AvailabilityZones ?? [])].sort()).toEqual([a, c].sort());

    const described = await h.client.elb.describeLoadBalancers.query({
      LoadBalancerNames: [LoadBalancerName],
    });
    const lb = described.LoadBalancerDescriptions?.[0];
    expect(lb?.LoadBalancerName).toBe(LoadBalancerName);
    expect(lb?.CreatedTime).toBeInstanceOf(Date);
    expect([...(lb?.AvailabilityZones ?? [])].sort()).toEqual([a, c].sort());
    expect(lb?.ListenerDescriptions?.[0]?.Listener).toMatchObject({
      Protocol: 'HTTP',
      LoadBalancerPort: 80,
      InstancePort: 8080,
    });
    expect(lb?.HealthCheck?.Target).toBe('HTTP:8080/health');
    expect(lb?.Instances?.map((i) => i.InstanceId)).toEqual([instanceIds[1]]);

    await h.client.elb.deleteLoadBalancer.mutate({ LoadBalancerName });
    const after = await h.client.elb.describeLoadBalancers.query({});
    expect(after.LoadBalancerDescriptions ?? []).toEqual([]);
  });
});
