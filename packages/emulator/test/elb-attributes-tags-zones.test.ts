import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  ApplySecurityGroupsToLoadBalancerCommand,
  AttachLoadBalancerToSubnetsCommand,
  CreateLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DetachLoadBalancerFromSubnetsCommand,
  DisableAvailabilityZonesForLoadBalancerCommand,
  ElasticLoadBalancingClient,
  EnableAvailabilityZonesForLoadBalancerCommand,
  ModifyLoadBalancerAttributesCommand,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';

let emu: Emulator;
let elb: ElasticLoadBalancingClient;
let ec2: EC2Client;
beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  const config = {
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  elb = new ElasticLoadBalancingClient(config);
  ec2 = new EC2Client(config);
});
afterAll(() => emu.close());

const listeners = [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 }];
let counter = 0;
async function inZones(...AvailabilityZones: string[]): Promise<string> {
  const LoadBalancerName = `atz-${++counter}`;
  await elb.send(
    new CreateLoadBalancerCommand({ LoadBalancerName, Listeners: listeners, AvailabilityZones }),
  );
  return LoadBalancerName;
}
async function inSubnets(...Subnets: string[]): Promise<string> {
  const LoadBalancerName = `ats-${++counter}`;
  await elb.send(new CreateLoadBalancerCommand({ LoadBalancerName, Listeners: listeners, Subnets }));
  return LoadBalancerName;
}
const describeOne = async (name: string) =>
  (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] })))
    .LoadBalancerDescriptions?.[0];

describe('attributes', () => {
  it('starts with AWS defaults and keeps what Modify sets', async () => {
    const name = await inZones('us-east-1a');
    const before = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }));
    expect(before.LoadBalancerAttributes).toEqual({
      CrossZoneLoadBalancing: { Enabled: false },
      AccessLog: { Enabled: false },
      ConnectionDraining: { Enabled: false, Timeout: 300 },
      ConnectionSettings: { IdleTimeout: 60 },
      AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
    });
    const modified = await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerName: name,
        LoadBalancerAttributes: {
          CrossZoneLoadBalancing: { Enabled: true },
          ConnectionDraining: { Enabled: true, Timeout: 120 },
          ConnectionSettings: { IdleTimeout: 300 },
          AccessLog: { Enabled: true, S3BucketName: 'logs', EmitInterval: 5 },
          AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'strictest' }],
        },
      }),
    );
    expect(modified.LoadBalancerName).toBe(name);
    const after = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }));
    expect(after.LoadBalancerAttributes).toEqual({
      CrossZoneLoadBalancing: { Enabled: true },
      AccessLog: { Enabled: true, S3BucketName: 'logs', EmitInterval: 5, S3BucketPrefix: '' },
      ConnectionDraining: { Enabled: true, Timeout: 120 },
      ConnectionSettings: { IdleTimeout: 300 },
      AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'strictest' }],
    });
    expect(modified.LoadBalancerAttributes).toEqual(after.LoadBalancerAttributes);
  });

  it.each([
    ['an idle timeout above 4000 s', { ConnectionSettings: { IdleTimeout: 4001 } }, 'ValidationError'],
    [
      'a draining timeout above 3600 s',
      { ConnectionDraining: { Enabled: true, Timeout: 3601 } },
      'ValidationError',
    ],
    ['access logs without a bucket', { AccessLog: { Enabled: true } }, 'ValidationError'],
    [
      'an emit interval of 10 minutes',
      { AccessLog: { Enabled: true, S3BucketName: 'b', EmitInterval: 10 } },
      'ValidationError',
    ],
    [
      'an unknown additional attribute',
      { AdditionalAttributes: [{ Key: 'elb.nope', Value: 'x' }] },
      'LoadBalancerAttributeNotFoundException',
    ],
  ])('rejects %s and changes nothing', async (_what, LoadBalancerAttributes, name) => {
    const lb = await inZones('us-east-1a');
    await expect(
      elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerName: lb,
          LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: true }, ...LoadBalancerAttributes },
        }),
      ),
    ).rejects.toMatchObject({ name });
    const after = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: lb }));
    expect(after.LoadBalancerAttributes?.CrossZoneLoadBalancing).toEqual({ Enabled: false });
  });

  it('answers LoadBalancerNotFound for an unknown load balancer', async () => {
    await expect(
      elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: 'ghost' })),
    ).rejects.toMatchObject({
      name: 'AccessPointNotFoundException',
    });
  });
});

describe('tags', () => {
  it('adds, overwrites, describes and removes tags', async () => {
    const a = await inZones('us-east-1a');
    const b = await inZones('us-east-1b');
    await elb.send(
      new AddTagsCommand({
        LoadBalancerNames: [a],
        Tags: [
          { Key: 'env', Value: 'dev' },
          { Key: 'team', Value: 'web' },
        ],
      }),
    );
    await elb.send(new AddTagsCommand({ LoadBalancerNames: [a], Tags: [{ Key: 'env', Value: 'prod' }] }));
    await elb.send(new AddTagsCommand({ LoadBalancerNames: [b], Tags: [{ Key: 'empty' }] }));
    const described = await elb.send(new DescribeTagsCommand({ LoadBalancerNames: [a, b] }));
    expect(described.TagDescriptions).toEqual([
      {
        LoadBalancerName: a,
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'web' },
        ],
      },
      { LoadBalancerName: b, Tags: [{ Key: 'empty', Value: '' }] },
    ]);
    await elb.send(new RemoveTagsCommand({ LoadBalancerNames: [a], Tags: [{ Key: 'env' }] }));
    const after = await elb.send(new DescribeTagsCommand({ LoadBalancerNames: [a] }));
    expect(after.TagDescriptions?.[0]?.Tags).toEqual([{ Key: 'team', Value: 'web' }]);
  });

  it('takes tags at creation', async () => {
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'tagged-at-birth',
        Listeners: listeners,
        AvailabilityZones: ['us-east-1a'],
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    const { TagDescriptions } = await elb.send(
      new DescribeTagsCommand({ LoadBalancerNames: ['tagged-at-birth'] }),
    );
    expect(TagDescriptions?.[0]?.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
  });

  it('rejects duplicate keys, more than 50 tags and unknown load balancers', async () => {
    const name = await inZones('us-east-1a');
    await expect(
      elb.send(
        new AddTagsCommand({
          LoadBalancerNames: [name],
          Tags: [
            { Key: 'k', Value: '1' },
            { Key: 'k', Value: '2' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'DuplicateTagKeysException' });
    await elb.send(
      new AddTagsCommand({
        LoadBalancerNames: [name],
        Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      }),
    );
    await expect(
      elb.send(new AddTagsCommand({ LoadBalancerNames: [name], Tags: [{ Key: 'one-more', Value: 'v' }] })),
    ).rejects.toMatchObject({
      name: 'TooManyTagsException',
    });
    // Overwriting an existing key does not add a tag.
    await elb.send(
      new AddTagsCommand({ LoadBalancerNames: [name], Tags: [{ Key: 'k0', Value: 'changed' }] }),
    );
    await expect(
      elb.send(new DescribeTagsCommand({ LoadBalancerNames: [name, 'ghost'] })),
    ).rejects.toMatchObject({
      name: 'AccessPointNotFoundException',
    });
    await expect(
      elb.send(new AddTagsCommand({ LoadBalancerNames: ['ghost'], Tags: [{ Key: 'k' }] })),
    ).rejects.toMatchObject({
      name: 'AccessPointNotFoundException',
    });
  });
});

/** The default VPC as EC2 describes it: its id, default subnet per zone and default group. */
async function defaultVpc() {
  const { Vpcs = [] } = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  const vpcId = Vpcs[0]?.VpcId ?? '';
  const { Subnets = [] } = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
  );
  const subnet = (zone: string) => Subnets.find((x) => x.AvailabilityZone === zone)?.SubnetId ?? '';
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['default'] },
      ],
    }),
  );
  return { vpcId, subnet, defaultGroup: SecurityGroups[0]?.GroupId ?? '' };
}

describe('availability zones', () => {
  it('enables and disables zones, and never removes the last one', async () => {
    const vpc = await defaultVpc();
    const name = await inZones('us-east-1a');
    const enabled = await elb.send(
      new EnableAvailabilityZonesForLoadBalancerCommand({
        LoadBalancerName: name,
        AvailabilityZones: ['us-east-1b', 'us-east-1a'],
      }),
    );
    expect(enabled.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    // In the default VPC a zone is its default subnet.
    expect((await describeOne(name))?.Subnets).toEqual([vpc.subnet('us-east-1a'), vpc.subnet('us-east-1b')]);
    const disabled = await elb.send(
      new DisableAvailabilityZonesForLoadBalancerCommand({
        LoadBalancerName: name,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    expect(disabled.AvailabilityZones).toEqual(['us-east-1b']);
    await expect(
      elb.send(
        new DisableAvailabilityZonesForLoadBalancerCommand({
          LoadBalancerName: name,
          AvailabilityZones: ['us-east-1b'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      elb.send(
        new EnableAvailabilityZonesForLoadBalancerCommand({
          LoadBalancerName: name,
          AvailabilityZones: ['us-east-1q'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await describeOne(name)).toMatchObject({
      AvailabilityZones: ['us-east-1b'],
      Subnets: [vpc.subnet('us-east-1b')],
      VPCId: vpc.vpcId,
    });
  });
});

describe('subnets and security groups', () => {
  it('attaches and detaches subnets, keeping at least one and following their zones', async () => {
    const vpc = await defaultVpc();
    const s1 = vpc.subnet('us-east-1a');
    const s2 = vpc.subnet('us-east-1b');
    expect(s1).toMatch(/^subnet-[0-9a-f]{17}$/);
    const name = await inSubnets(s1);
    expect(await describeOne(name)).toMatchObject({
      AvailabilityZones: ['us-east-1a'],
      VPCId: vpc.vpcId,
      SecurityGroups: [vpc.defaultGroup],
      SourceSecurityGroup: { OwnerAlias: '123456789012', GroupName: 'default' },
    });
    expect(
      (await elb.send(new AttachLoadBalancerToSubnetsCommand({ LoadBalancerName: name, Subnets: [s2] })))
        .Subnets,
    ).toEqual([s1, s2]);
    expect((await describeOne(name))?.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    await expect(
      elb.send(
        new AttachLoadBalancerToSubnetsCommand({
          LoadBalancerName: name,
          Subnets: ['subnet-0123456789abcdef0'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'SubnetNotFoundException',
    });
    expect(
      (await elb.send(new DetachLoadBalancerFromSubnetsCommand({ LoadBalancerName: name, Subnets: [s1] })))
        .Subnets,
    ).toEqual([s2]);
    await expect(
      elb.send(new DetachLoadBalancerFromSubnetsCommand({ LoadBalancerName: name, Subnets: [s2] })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(await describeOne(name)).toMatchObject({ Subnets: [s2], AvailabilityZones: ['us-east-1b'] });
  });

  it('applies security groups of its own VPC to a load balancer in a VPC', async () => {
    const vpc = await defaultVpc();
    const name = await inSubnets(vpc.subnet('us-east-1a'));
    const { GroupId: web = '' } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `web-${++counter}`, Description: 'web', VpcId: vpc.vpcId }),
    );
    const applied = await elb.send(
      new ApplySecurityGroupsToLoadBalancerCommand({
        LoadBalancerName: name,
        SecurityGroups: [web, vpc.defaultGroup],
      }),
    );
    expect(applied.SecurityGroups).toEqual([web, vpc.defaultGroup]);
    expect(await describeOne(name)).toMatchObject({
      SecurityGroups: [web, vpc.defaultGroup],
      SourceSecurityGroup: { GroupName: `web-${counter}` },
    });
    await expect(
      elb.send(
        new ApplySecurityGroupsToLoadBalancerCommand({ LoadBalancerName: name, SecurityGroups: ['web-sg'] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSecurityGroupException' });
    // A group of another VPC is refused.
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const { GroupId: elsewhere = '' } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'x', VpcId: Vpc?.VpcId }),
    );
    await expect(
      elb.send(
        new ApplySecurityGroupsToLoadBalancerCommand({ LoadBalancerName: name, SecurityGroups: [elsewhere] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSecurityGroupException' });
    expect((await describeOne(name))?.SecurityGroups).toEqual([web, vpc.defaultGroup]);
  });

  it('keeps zone operations to load balancers outside non-default VPCs, and subnets to one VPC', async () => {
    const vpc = await defaultVpc();
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({
        VpcId: Vpc?.VpcId,
        CidrBlock: '10.30.1.0/24',
        AvailabilityZone: 'us-east-1c',
      }),
    );
    const own = await inSubnets(Subnet?.SubnetId ?? '');
    expect(await describeOne(own)).toMatchObject({
      VPCId: Vpc?.VpcId,
      AvailabilityZones: ['us-east-1c'],
      SourceSecurityGroup: { GroupName: 'default' },
    });
    expect((await describeOne(own))?.SecurityGroups?.[0]).not.toBe(vpc.defaultGroup);
    await expect(
      elb.send(
        new EnableAvailabilityZonesForLoadBalancerCommand({
          LoadBalancerName: own,
          AvailabilityZones: ['us-east-1b'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    await expect(
      elb.send(
        new AttachLoadBalancerToSubnetsCommand({
          LoadBalancerName: own,
          Subnets: [vpc.subnet('us-east-1a')],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSubnetException' });
    await expect(inSubnets(vpc.subnet('us-east-1a'), vpc.subnet('us-east-1a'))).resolves.toMatch(/^ats-/);
    await expect(
      elb.send(
        new CreateLoadBalancerCommand({
          LoadBalancerName: 'two-vpcs',
          Listeners: listeners,
          Subnets: [vpc.subnet('us-east-1a'), Subnet?.SubnetId ?? ''],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSubnetException' });
  });

  it('keeps bare zones, outside any VPC, in a region whose default VPC was deleted', async () => {
    const config = {
      endpoint: emu.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    };
    const ec2eu = new EC2Client(config);
    const elbEu = new ElasticLoadBalancingClient(config);
    const { Subnets = [] } = await ec2eu.send(new DescribeSubnetsCommand({}));
    for (const x of Subnets) await ec2eu.send(new DeleteSubnetCommand({ SubnetId: x.SubnetId }));
    // As in AWS, the default VPC's internet gateway goes first.
    const VpcId = Subnets[0]?.VpcId;
    const { InternetGateways = [] } = await ec2eu.send(new DescribeInternetGatewaysCommand({}));
    for (const g of InternetGateways) {
      await ec2eu.send(new DetachInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId, VpcId }));
      await ec2eu.send(new DeleteInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId }));
    }
    await ec2eu.send(new DeleteVpcCommand({ VpcId }));
    await elbEu.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'bare',
        Listeners: listeners,
        AvailabilityZones: ['eu-west-1a'],
      }),
    );
    const lb = (await elbEu.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['bare'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb).toMatchObject({
      AvailabilityZones: ['eu-west-1a'],
      Subnets: [],
      SecurityGroups: [],
      SourceSecurityGroup: { OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg' },
    });
    expect(lb?.VPCId).toBeUndefined();
    await expect(
      elbEu.send(
        new ApplySecurityGroupsToLoadBalancerCommand({
          LoadBalancerName: 'bare',
          SecurityGroups: ['sg-0123456789abcdef0'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    const enabled = await elbEu.send(
      new EnableAvailabilityZonesForLoadBalancerCommand({
        LoadBalancerName: 'bare',
        AvailabilityZones: ['eu-west-1b'],
      }),
    );
    expect(enabled.AvailabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });
});
