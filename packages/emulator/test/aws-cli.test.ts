import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';

/**
 * The AWS CLI (botocore: its own serializer and XML parser) against the emulator. It runs when `aws`
 * is installed and is skipped, saying why, when it is not.
 */
const run = promisify(execFile);
// Prefer Debian's awscli package (what CI installs) over whatever `aws` comes first on PATH.
const awsBin = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const awsVersion = spawnSync(awsBin, ['--version'], { encoding: 'utf8' });
const haveAws = awsVersion.status === 0;
if (!haveAws)
  console.warn('aws-cli.test.ts skipped: the AWS CLI (`aws`) is not installed; apt-get install awscli');

let emu: Emulator;

async function aws(...args: string[]): Promise<any> {
  // Async on purpose: the emulator serves from this same process.
  const { stdout } = await run(awsBin, ['--endpoint-url', emu.url, '--output', 'json', ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

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
