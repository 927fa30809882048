import {
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  EnableAvailabilityZonesForLoadBalancerCommand,
  type HealthCheck,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';

const config = (emu: Emulator) => ({
  endpoint: emu.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

// Interval 10 s, HealthyThreshold 3, UnhealthyThreshold 2: InService 30 s after running, failed 20 s after leaving it.
const healthCheck: HealthCheck = {
  Target: 'HTTP:80/health',
  Interval: 10,
  Timeout: 5,
  HealthyThreshold: 3,
  UnhealthyThreshold: 2,
};
const s = 1000;
const pending = 5 * s;

let emu: Emulator;
let elb: ElasticLoadBalancingClient;
let ec2: EC2Client;
beforeEach(async () => {
  emu = await startEmulator({ clock: 'virtual', delays: { pending, stopping: 5 * s, shuttingDown: 5 * s } });
  elb = new ElasticLoadBalancingClient(config(emu));
  ec2 = new EC2Client(config(emu));
  await elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: 'web',
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }],
      AvailabilityZones: ['us-east-1a'],
    }),
  );
  await elb.send(new ConfigureHealthCheckCommand({ LoadBalancerName: 'web', HealthCheck: healthCheck }));
});
afterEach(() => emu.close());

async function launch(zone = 'us-east-1a'): Promise<string> {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const ImageId = Images[0]?.ImageId;
  const { Instances = [] } = await ec2.send(
    new RunInstancesCommand({
      ImageId,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: zone },
    }),
  );
  const id = Instances[0]?.InstanceId;
  if (!id) throw new Error('RunInstances returned no instance');
  return id;
}

const health = async (...ids: string[]) =>
  (
    await elb.send(
      new DescribeInstanceHealthCommand({
        LoadBalancerName: 'web',
        ...(ids.length ? { Instances: ids.map((InstanceId) => ({ InstanceId })) } : {}),
      }),
    )
  ).InstanceStates ?? [];

describe('instance health on the clock', () => {
  it('turns InService after HealthyThreshold × Interval and OutOfService when the instance stops', async () => {
    const id = await launch();
    const registered = await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'web',
        Instances: [{ InstanceId: id }],
      }),
    );
    expect(registered.Instances).toEqual([{ InstanceId: id }]);
    expect(await health()).toEqual([
      {
        InstanceId: id,
        State: 'OutOfService',
        ReasonCode: 'Instance',
        Description: 'Instance is in pending state.',
      },
    ]);

    emu.clock.advance(pending); // running now; 30 s of passing checks to go
    emu.clock.advance(29 * s);
    expect(await health(id)).toEqual([
      {
        InstanceId: id,
        State: 'OutOfService',
        ReasonCode: 'ELB',
        Description:
          'Instance has not passed the configured HealthyThreshold number of health checks consecutively.',
      },
    ]);
    emu.clock.advance(1 * s);
    expect(await health(id)).toEqual([
      { InstanceId: id, State: 'InService', ReasonCode: 'N/A', Description: 'N/A' },
    ]);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect((await health(id))[0]?.State).toBe('InService'); // stopping: checks have not failed twice yet
    emu.clock.advance(20 * s);
    expect(await health(id)).toEqual([
      {
        InstanceId: id,
        State: 'OutOfService',
        ReasonCode: 'Instance',
        Description: 'Instance is in stopped state.',
      },
    ]);
  });

  it('restarts the checks when the health check is configured again', async () => {
    const id = await launch();
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'web',
        Instances: [{ InstanceId: id }],
      }),
    );
    emu.clock.advance(pending + 30 * s);
    expect((await health(id))[0]?.State).toBe('InService');
    await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: 'web',
        HealthCheck: { ...healthCheck, HealthyThreshold: 2 },
      }),
    );
    expect((await health(id))[0]?.State).toBe('OutOfService');
    emu.clock.advance(20 * s);
    expect((await health(id))[0]?.State).toBe('InService');
  });

  it('keeps an instance in a zone the load balancer does not serve OutOfService until the zone is enabled', async () => {
    const id = await launch('us-east-1b');
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'web',
        Instances: [{ InstanceId: id }],
      }),
    );
    emu.clock.advance(pending + 60 * s);
    expect(await health(id)).toEqual([
      {
        InstanceId: id,
        State: 'OutOfService',
        ReasonCode: 'ELB',
        Description:
          'Instance is in the EC2 Availability Zone for which LoadBalancer is not configured to route traffic to.',
      },
    ]);
    await elb.send(
      new EnableAvailabilityZonesForLoadBalancerCommand({
        LoadBalancerName: 'web',
        AvailabilityZones: ['us-east-1b'],
      }),
    );
    emu.clock.advance(29 * s);
    expect((await health(id))[0]?.State).toBe('OutOfService');
    emu.clock.advance(1 * s);
    expect((await health(id))[0]?.State).toBe('InService');
  });
});

describe('a load balancer in subnets', () => {
  it('serves instances launched in its subnet', async () => {
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({}));
    const subnet = Subnets.find((x) => x.AvailabilityZone === 'us-east-1a')?.SubnetId;
    expect(subnet).toMatch(/^subnet-/);
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'in-vpc',
        Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 80 }],
        Subnets: [subnet as string],
      }),
    );
    const id = await launch();
    await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'in-vpc',
        Instances: [{ InstanceId: id }],
      }),
    );
    // Default health check: HealthyThreshold 10 × Interval 30 s.
    emu.clock.advance(pending + 299 * s);
    const states = async () =>
      (await elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'in-vpc' }))).InstanceStates?.map(
        (x) => x.State,
      );
    expect(await states()).toEqual(['OutOfService']);
    emu.clock.advance(1 * s);
    expect(await states()).toEqual(['InService']);
  });
});

describe('registration', () => {
  it('registers and deregisters, answering the full registered list each time', async () => {
    const a = await launch();
    const b = await launch();
    const one = await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'web',
        Instances: [{ InstanceId: a }],
      }),
    );
    expect(one.Instances).toEqual([{ InstanceId: a }]);
    const both = await elb.send(
      new RegisterInstancesWithLoadBalancerCommand({
        LoadBalancerName: 'web',
        Instances: [{ InstanceId: b }, { InstanceId: a }],
      }),
    );
    expect(both.Instances).toEqual([{ InstanceId: a }, { InstanceId: b }]);
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['web'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb?.Instances).toEqual([{ InstanceId: a }, { InstanceId: b }]);

    const left = await elb.send(
      new DeregisterInstancesFromLoadBalancerCommand({
        LoadBalancerName: 'web',
        Instances: [{ InstanceId: a }],
      }),
    );
    expect(left.Instances).toEqual([{ InstanceId: b }]);
    expect((await health()).map((h) => h.InstanceId)).toEqual([b]);
    // Named, a deregistered instance is still described.
    expect(await health(a)).toEqual([
      {
        InstanceId: a,
        State: 'OutOfService',
        ReasonCode: 'N/A',
        Description: 'Instance is not currently registered with the LoadBalancer.',
      },
    ]);
    await expect(
      elb.send(
        new DeregisterInstancesFromLoadBalancerCommand({
          LoadBalancerName: 'web',
          Instances: [{ InstanceId: a }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidEndPointException' });
  });

  it('rejects unknown and terminated instances with InvalidInstance', async () => {
    await expect(
      elb.send(
        new RegisterInstancesWithLoadBalancerCommand({
          LoadBalancerName: 'web',
          Instances: [{ InstanceId: 'i-0000000000000dead' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidEndPointException',
      message: expect.stringContaining('i-0000000000000dead'),
    });
    const id = await launch();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    emu.clock.advance(10 * s);
    await expect(
      elb.send(
        new RegisterInstancesWithLoadBalancerCommand({
          LoadBalancerName: 'web',
          Instances: [{ InstanceId: id }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidEndPointException' });
    await expect(health('i-0000000000000dead')).rejects.toMatchObject({ name: 'InvalidEndPointException' });
    await expect(
      elb.send(
        new RegisterInstancesWithLoadBalancerCommand({
          LoadBalancerName: 'ghost',
          Instances: [{ InstanceId: id }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessPointNotFoundException' });
  });
});

describe('ConfigureHealthCheck', () => {
  it('answers the health check it set, and DescribeLoadBalancers shows it', async () => {
    const out = await elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName: 'web',
        HealthCheck: { ...healthCheck, Target: 'SSL:443' },
      }),
    );
    expect(out.HealthCheck).toEqual({ ...healthCheck, Target: 'SSL:443' });
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['web'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb?.HealthCheck).toEqual({ ...healthCheck, Target: 'SSL:443' });
  });

  it.each([
    ['an HTTP target without a path', { Target: 'HTTP:80' }],
    ['a TCP target with a path', { Target: 'TCP:80/health' }],
    ['an unknown protocol', { Target: 'UDP:53' }],
    ['port 0', { Target: 'TCP:0' }],
    ['a timeout not below the interval', { Interval: 10, Timeout: 10 }],
    ['an interval of 4 s', { Interval: 4, Timeout: 2 }],
    ['a healthy threshold of 11', { HealthyThreshold: 11 }],
    ['an unhealthy threshold of 1', { UnhealthyThreshold: 1 }],
  ])('rejects %s', async (_what, change) => {
    await expect(
      elb.send(
        new ConfigureHealthCheckCommand({
          LoadBalancerName: 'web',
          HealthCheck: { ...healthCheck, ...change },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['web'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb?.HealthCheck).toEqual(healthCheck);
  });
});
