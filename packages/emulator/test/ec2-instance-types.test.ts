import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2();
const AL2023_ARM = 'ami-0c4e709339fa8521a';

const info = async (type: string) =>
  (await t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [type as never] }))).InstanceTypes![0]!;

describe('instance types', () => {
  it("answers AWS's published figures, network limits included", async () => {
    // Values from the EC2 instance type specifications (network: interfaces × IPv4 per interface).
    const expected: [string, number, number, number, number, string][] = [
      ['t3.micro', 2, 1024, 2, 2, 'x86_64'],
      ['t2.micro', 1, 1024, 2, 2, 'x86_64'],
      ['t3.large', 2, 8192, 3, 12, 'x86_64'],
      ['m5.large', 2, 8192, 3, 10, 'x86_64'],
      ['m7i.48xlarge', 192, 786432, 15, 50, 'x86_64'],
      ['c6i.4xlarge', 16, 32768, 8, 30, 'x86_64'],
      ['r6i.xlarge', 4, 32768, 4, 15, 'x86_64'],
      ['g5.48xlarge', 192, 786432, 7, 50, 'x86_64'],
      ['t4g.micro', 2, 1024, 2, 2, 'arm64'],
      ['m7g.medium', 1, 4096, 2, 4, 'arm64'],
      ['c7g.16xlarge', 64, 131072, 15, 50, 'arm64'],
    ];
    for (const [type, vcpus, mib, enis, ips, arch] of expected) {
      const i = await info(type);
      expect(
        [
          i.VCpuInfo?.DefaultVCpus,
          i.MemoryInfo?.SizeInMiB,
          i.NetworkInfo?.MaximumNetworkInterfaces,
          i.NetworkInfo?.Ipv4AddressesPerInterface,
          i.ProcessorInfo?.SupportedArchitectures?.[0],
        ],
        type,
      ).toEqual([vcpus, mib, enis, ips, arch]);
    }
    const graviton = await t.ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: 'processor-info.supported-architecture', Values: ['arm64'] },
          { Name: 'instance-type', Values: ['c7g.*'] },
        ],
      }),
    );
    expect(graviton.InstanceTypes!.map((x) => x.InstanceType).sort()).toContain('c7g.large');
    expect(graviton.InstanceTypes!.every((x) => x.ProcessorInfo?.Manufacturer === 'AWS')).toBe(true);
    const unknown = await awsError(
      t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t9.huge' as never] })),
    );
    expect(unknown.code).toBe('InvalidInstanceType');
  });

  it('launches the arm64 AMI on Graviton, and refuses mismatched architectures', async () => {
    const arm = await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023_ARM, InstanceType: 't4g.micro', MinCount: 1, MaxCount: 1 }),
    );
    expect(arm.Instances![0]).toMatchObject({ Architecture: 'arm64', InstanceType: 't4g.micro' });
    const x86OnArm = await awsError(
      t.ec2.send(
        new RunInstancesCommand({ ImageId: AL2023, InstanceType: 'm7g.large', MinCount: 1, MaxCount: 1 }),
      ),
    );
    expect(x86OnArm.code).toBe('InvalidParameterValue');
    expect(x86OnArm.message).toContain("architecture 'arm64'");
    const armOnX86 = await awsError(
      t.ec2.send(
        new RunInstancesCommand({ ImageId: AL2023_ARM, InstanceType: 'c6i.large', MinCount: 1, MaxCount: 1 }),
      ),
    );
    expect(armOnX86.code).toBe('InvalidParameterValue');
  });

  it('offers every type per region, zone or zone id', async () => {
    const region = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }],
      }),
    );
    expect(region.InstanceTypeOfferings).toEqual([
      { InstanceType: 't3.micro', LocationType: 'region', Location: 'us-east-1' },
    ]);
    const zones = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone-id',
        Filters: [{ Name: 'instance-type', Values: ['m7g.large'] }],
      }),
    );
    expect(zones.InstanceTypeOfferings!.map((o) => o.Location)).toEqual(['use1-az1', 'use1-az2', 'use1-az3']);
    const page = await t.ec2.send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 5 }));
    expect(page.InstanceTypeOfferings).toHaveLength(5);
    expect(page.NextToken).toBeDefined();
  });
});
