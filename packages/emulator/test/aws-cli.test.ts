import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';
import { aws as awsAt, haveAws, warnIfNoAws } from './helpers/aws-cli';

/** The AWS CLI (botocore: its own serializer and XML parser) against the emulator. */
warnIfNoAws('aws-cli.test.ts');

let emu: Emulator;
const aws = (...args: string[]) => awsAt(emu.url, ...args);

/** The AWS error code a failing CLI call printed (`An error occurred (Code) when calling …`). */
async function awsFails(...args: string[]): Promise<string | undefined> {
  try {
    await aws(...args);
  } catch (e) {
    return /An error occurred \(([^)]+)\)/.exec(String((e as { stderr?: string }).stderr))?.[1];
  }
  throw new Error(`aws ${args.join(' ')} succeeded; expected it to fail`);
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

  // One CLI call costs about a second of CPU, so the stack is lean: one public subnet, and the SDK
  // tests cover each family's details.
  it('builds and tears down a VPC stack the way Terraform does', { timeout: 300_000 }, async () => {
    const vpc = (await aws('ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16')).Vpc.VpcId;
    await aws('ec2', 'modify-vpc-attribute', '--vpc-id', vpc, '--enable-dns-hostnames', '{"Value":true}');
    const dns = await aws(
      'ec2',
      'describe-vpc-attribute',
      '--vpc-id',
      vpc,
      '--attribute',
      'enableDnsHostnames',
    );
    expect(dns.EnableDnsHostnames).toEqual({ Value: true });
    const main = await aws(
      'ec2',
      'describe-route-tables',
      '--filters',
      `Name=vpc-id,Values=${vpc}`,
      'Name=association.main,Values=true',
    );
    expect(main.RouteTables[0].Routes).toEqual([
      {
        DestinationCidrBlock: '10.0.0.0/16',
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      },
    ]);
    const subnet = (await aws('ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/24')).Subnet
      .SubnetId;
    const igw = (await aws('ec2', 'create-internet-gateway')).InternetGateway.InternetGatewayId;
    await aws('ec2', 'attach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpc);
    const rt = (await aws('ec2', 'create-route-table', '--vpc-id', vpc)).RouteTable.RouteTableId;
    await aws(
      'ec2',
      'create-route',
      '--route-table-id',
      rt,
      '--destination-cidr-block',
      '0.0.0.0/0',
      '--gateway-id',
      igw,
    );
    const assoc = (await aws('ec2', 'associate-route-table', '--route-table-id', rt, '--subnet-id', subnet))
      .AssociationId;
    const eip = (await aws('ec2', 'allocate-address', '--domain', 'vpc')).AllocationId;
    const nat = (await aws('ec2', 'create-nat-gateway', '--subnet-id', subnet, '--allocation-id', eip))
      .NatGateway.NatGatewayId;
    emu.clock.advance(5_000);
    expect((await aws('ec2', 'describe-nat-gateways', '--nat-gateway-ids', nat)).NatGateways[0].State).toBe(
      'available',
    );

    // AWS's DependencyViolations, as Terraform meets them when it deletes too early.
    expect(await awsFails('ec2', 'delete-vpc', '--vpc-id', vpc)).toBe('DependencyViolation');
    expect(
      await awsFails('ec2', 'detach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpc),
    ).toBe('DependencyViolation');

    await aws('ec2', 'delete-nat-gateway', '--nat-gateway-id', nat);
    emu.clock.advance(5_000);
    await aws('ec2', 'release-address', '--allocation-id', eip);
    await aws('ec2', 'disassociate-route-table', '--association-id', assoc);
    await aws('ec2', 'delete-route-table', '--route-table-id', rt);
    await aws('ec2', 'detach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpc);
    await aws('ec2', 'delete-internet-gateway', '--internet-gateway-id', igw);
    await aws('ec2', 'delete-subnet', '--subnet-id', subnet);
    await aws('ec2', 'delete-vpc', '--vpc-id', vpc);
    expect(await awsFails('ec2', 'describe-vpcs', '--vpc-ids', vpc)).toBe('InvalidVpcID.NotFound');
  });
});
