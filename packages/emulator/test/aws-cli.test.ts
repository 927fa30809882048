import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';
import { aws as awsAt, haveAws, warnIfNoAws } from './helpers/aws-cli';

/** The AWS CLI (botocore: its own serializer and XML parser) against the emulator. */
warnIfNoAws('aws-cli.test.ts');

let emu: Emulator;
const aws = (...args: string[]) => awsAt(emu.url, ...args);

describe.skipIf(!haveAws)('the AWS CLI against the emulator', () => {
  beforeAll(async () => {
    emu = await startEmulator({ clock: 'virtual', delays: { pending: 5_000, stopping: 5_000 } });
  });
  afterAll(() => emu?.close());

  let instanceIds: string[] = [];

  it('ec2 run-instances, describe-instances --filters, stop-instances', { timeout: 180_000 }, async () => {
    const images = await aws('ec2', 'describe-images', '--owners', 'amazon');
    const imageId: string = images.Images[0].ImageId;
    expect(imageId).toMatch(/^ami-[0-9a-f]+$/);

    const ran = await aws(
      'ec2',
      'run-instances',
      '--image-id',
      imageId,
      '--instance-type',
      't3.micro',
      '--count',
      '2',
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=Name,Value=cli-web}]',
    );
    instanceIds = ran.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    expect(instanceIds).toHaveLength(2);
    expect(ran.Instances[0].State.Name).toBe('pending');

    emu.clock.advance(5_000);
    const described = await aws(
      'ec2',
      'describe-instances',
      '--filters',
      'Name=tag:Name,Values=cli-web',
      'Name=instance-state-name,Values=running',
    );
    const found = described.Reservations.flatMap((r: { Instances: { InstanceId: string }[] }) => r.Instances);
    expect(found.map((i: { InstanceId: string }) => i.InstanceId).sort()).toEqual([...instanceIds].sort());
    expect(found[0].Tags).toContainEqual({ Key: 'Name', Value: 'cli-web' });

    const stopped = await aws('ec2', 'stop-instances', '--instance-ids', instanceIds[0]!);
    expect(stopped.StoppingInstances[0]).toMatchObject({
      InstanceId: instanceIds[0],
      PreviousState: { Name: 'running' },
      CurrentState: { Name: 'stopping' },
    });
  });

  it('elb create-load-balancer, configure-health-check, register, describe-instance-health', {
    timeout: 180_000,
  }, async () => {
    const created = await aws(
      'elb',
      'create-load-balancer',
      '--load-balancer-name',
      'cli-web',
      '--listeners',
      'Protocol=HTTP,LoadBalancerPort=80,InstanceProtocol=HTTP,InstancePort=8080',
      '--availability-zones',
      'us-east-1a',
    );
    expect(created.DNSName).toContain('cli-web');

    const health = await aws(
      'elb',
      'configure-health-check',
      '--load-balancer-name',
      'cli-web',
      '--health-check',
      'Target=HTTP:8080/,Interval=10,Timeout=5,UnhealthyThreshold=2,HealthyThreshold=3',
    );
    expect(health.HealthCheck).toEqual({
      Target: 'HTTP:8080/',
      Interval: 10,
      Timeout: 5,
      UnhealthyThreshold: 2,
      HealthyThreshold: 3,
    });

    const running = instanceIds[1]!;
    const registered = await aws(
      'elb',
      'register-instances-with-load-balancer',
      '--load-balancer-name',
      'cli-web',
      '--instances',
      running,
    );
    expect(registered.Instances).toEqual([{ InstanceId: running }]);

    emu.clock.advance(60_000);
    const states = await aws('elb', 'describe-instance-health', '--load-balancer-name', 'cli-web');
    expect(states.InstanceStates).toEqual([
      expect.objectContaining({ InstanceId: running, State: 'InService' }),
    ]);
  });
});
