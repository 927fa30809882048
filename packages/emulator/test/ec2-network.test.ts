import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });

describe('network', () => {
  it('has a default VPC 172.31.0.0/16 with one default /20 subnet per zone', async () => {
    const vpcs = await t.ec2.send(new DescribeVpcsCommand({}));
    expect(vpcs.Vpcs).toHaveLength(1);
    expect(vpcs.Vpcs![0]).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available' });
    const subnets = await t.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
    );
    expect(subnets.Subnets!.map((s) => [s.AvailabilityZone, s.CidrBlock])).toEqual([
      ['us-east-1a', '172.31.0.0/20'],
      ['us-east-1b', '172.31.16.0/20'],
      ['us-east-1c', '172.31.32.0/20'],
    ]);
    expect(subnets.Subnets![0]).toMatchObject({
      MapPublicIpOnLaunch: true,
      AvailableIpAddressCount: 4091,
      AvailabilityZoneId: 'use1-az1',
    });
  });

  it('describes zones and regions', async () => {
    const z = await t.ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(z.AvailabilityZones!.map((x) => x.ZoneName)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(z.AvailabilityZones![0]).toMatchObject({
      State: 'available',
      RegionName: 'us-east-1',
      ZoneType: 'availability-zone',
    });
    const one = await t.ec2.send(
      new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-id', Values: ['use1-az2'] }] }),
    );
    expect(one.AvailabilityZones!.map((x) => x.ZoneName)).toEqual(['us-east-1b']);
    const r = await t.ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1'] }));
    expect(r.Regions).toEqual([
      {
        RegionName: 'eu-west-1',
        Endpoint: 'ec2.eu-west-1.amazonaws.com',
        OptInStatus: 'opt-in-not-required',
      },
    ]);
    expect((await t.ec2.send(new DescribeRegionsCommand({}))).Regions!.length).toBeGreaterThan(10);
  });

  it('creates a VPC and subnets with CIDR validation, and launches into them', async () => {
    const bad = await awsError(t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })));
    expect(bad.code).toBe('InvalidVpc.Range');
    expect((await awsError(t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.1/16' })))).code).toBe(
      'InvalidParameterValue',
    );
    const { Vpc } = await t.ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.0.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'lab' }] }],
      }),
    );
    expect(Vpc!.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(Vpc!.Tags).toEqual([{ Key: 'Name', Value: 'lab' }]);
    const sg = await t.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }),
    );
    expect(sg.SecurityGroups!.map((g) => g.GroupName)).toEqual(['default']);
    const outside = await awsError(
      t.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.1.0.0/24' })),
    );
    expect(outside.code).toBe('InvalidSubnet.Range');
    const { Subnet } = await t.ec2.send(
      new CreateSubnetCommand({
        VpcId: Vpc!.VpcId,
        CidrBlock: '10.0.1.0/24',
        AvailabilityZone: 'us-east-1b',
      }),
    );
    expect(Subnet).toMatchObject({
      VpcId: Vpc!.VpcId,
      AvailabilityZone: 'us-east-1b',
      AvailableIpAddressCount: 251,
      DefaultForAz: false,
    });
    const conflict = await awsError(
      t.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.0.1.128/25' })),
    );
    expect(conflict.code).toBe('InvalidSubnet.Conflict');

    const run = await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1, SubnetId: Subnet!.SubnetId }),
    );
    const inst = run.Instances![0]!;
    expect(inst).toMatchObject({
      VpcId: Vpc!.VpcId,
      SubnetId: Subnet!.SubnetId,
      Placement: { AvailabilityZone: 'us-east-1b' },
    });
    expect(inst.PrivateIpAddress).toBe('10.0.1.4');
    expect(inst.PublicIpAddress).toBeUndefined();

    const inUse = await awsError(t.ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId })));
    expect(inUse.code).toBe('DependencyViolation');
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'lab', Description: 'lab', VpcId: Vpc!.VpcId }),
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    t.emu.clock.advance(1_000);
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
    const vpcDep = await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId })));
    expect(vpcDep).toMatchObject({
      code: 'DependencyViolation',
      message: `The vpc '${Vpc!.VpcId}' has dependencies and cannot be deleted.`,
    });
    await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
    expect((await awsError(t.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] })))).code).toBe(
      'InvalidVpcID.NotFound',
    );
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId, DryRun: true })))).code).toBe(
      'InvalidVpcID.NotFound',
    );
  });
});

describe('DescribeInstanceTypes', () => {
  it('describes the common families with their vCPUs and memory, filters and pages', async () => {
    const d = await t.ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 'm5.large', 'r5.xlarge'] }),
    );
    const byType = Object.fromEntries(
      d.InstanceTypes!.map((x) => [x.InstanceType, [x.VCpuInfo?.DefaultVCpus, x.MemoryInfo?.SizeInMiB]]),
    );
    expect(byType).toEqual({ 't3.micro': [2, 1024], 'm5.large': [2, 8192], 'r5.xlarge': [4, 32768] });
    const two = await t.ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: 'vcpu-info.default-vcpus', Values: ['2'] },
          { Name: 'instance-type', Values: ['c5.*'] },
        ],
      }),
    );
    expect(two.InstanceTypes!.map((x) => x.InstanceType)).toEqual(['c5.large']);
    const page = await t.ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 5 }));
    expect(page.InstanceTypes).toHaveLength(5);
    expect(page.NextToken).toBeDefined();
    const nf = await awsError(
      t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['q9.tiny' as never] })),
    );
    expect(nf.code).toBe('InvalidInstanceType');
  });
});

describe('DryRun on read-only actions', () => {
  it('validates, then answers DryRunOperation', async () => {
    expect((await awsError(t.ec2.send(new DescribeVpcsCommand({ DryRun: true })))).code).toBe(
      'DryRunOperation',
    );
    const bad = await awsError(
      t.ec2.send(new DescribeVpcsCommand({ DryRun: true, Filters: [{ Name: 'nope', Values: ['x'] }] })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
  });
});

describe('subnet addresses', () => {
  it('launches as many as fit (MinCount..MaxCount), refuses when full, and reuses addresses of terminated instances', async () => {
    const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    const { Subnet } = await t.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.9.0.0/28' }),
    );
    expect(Subnet!.AvailableIpAddressCount).toBe(11);
    const launch = (MinCount: number, MaxCount: number) =>
      t.ec2.send(
        new RunInstancesCommand({ ImageId: AL2023, MinCount, MaxCount, SubnetId: Subnet!.SubnetId }),
      );
    const first = await launch(1, 20);
    expect(first.Instances).toHaveLength(11);
    const full = await awsError(launch(1, 1));
    expect(full.code).toBe('InsufficientFreeAddressesInSubnet');
    const freed = first.Instances!.slice(0, 2).map((i) => i.InstanceId!);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: freed }));
    t.emu.clock.advance(1_000);
    const again = await launch(2, 2);
    expect(again.Instances!.map((i) => i.PrivateIpAddress).sort()).toEqual(
      first
        .Instances!.slice(0, 2)
        .map((i) => i.PrivateIpAddress)
        .sort(),
    );
    const s = await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet!.SubnetId!] }));
    expect(s.Subnets![0]!.AvailableIpAddressCount).toBe(0);
  });
});
