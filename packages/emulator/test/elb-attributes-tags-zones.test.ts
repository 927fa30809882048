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
beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  elb = new ElasticLoadBalancingClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
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

describe('availability zones', () => {
  it('enables and disables zones, and never removes the last one', async () => {
    const name = await inZones('us-east-1a');
    const enabled = await elb.send(
      new EnableAvailabilityZonesForLoadBalancerCommand({
        LoadBalancerName: name,
        AvailabilityZones: ['us-east-1b', 'us-east-1a'],
      }),
    );
    expect(enabled.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
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
    expect((await describeOne(name))?.AvailabilityZones).toEqual(['us-east-1b']);
  });
});

describe('subnets and security groups', () => {
  const s1 = 'subnet-11111111';
  const s2 = 'subnet-22222222';

  it('attaches and detaches subnets, keeping at least one', async () => {
    const name = await inSubnets(s1);
    expect(
      (await elb.send(new AttachLoadBalancerToSubnetsCommand({ LoadBalancerName: name, Subnets: [s2] })))
        .Subnets,
    ).toEqual([s1, s2]);
    await expect(
      elb.send(new AttachLoadBalancerToSubnetsCommand({ LoadBalancerName: name, Subnets: ['subnet-zz'] })),
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
    expect((await describeOne(name))?.Subnets).toEqual([s2]);
  });

  it('applies security groups to a load balancer in a VPC', async () => {
    const name = await inSubnets(s1);
    const applied = await elb.send(
      new ApplySecurityGroupsToLoadBalancerCommand({
        LoadBalancerName: name,
        SecurityGroups: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'],
      }),
    );
    expect(applied.SecurityGroups).toEqual(['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb']);
    expect((await describeOne(name))?.SecurityGroups).toEqual([
      'sg-0aaaaaaaaaaaaaaaa',
      'sg-0bbbbbbbbbbbbbbbb',
    ]);
    await expect(
      elb.send(
        new ApplySecurityGroupsToLoadBalancerCommand({ LoadBalancerName: name, SecurityGroups: ['web-sg'] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSecurityGroupException' });
  });

  it('keeps subnet and zone operations to their kind of load balancer', async () => {
    const classic = await inZones('us-east-1a');
    const vpc = await inSubnets(s1);
    await expect(
      elb.send(new AttachLoadBalancerToSubnetsCommand({ LoadBalancerName: classic, Subnets: [s2] })),
    ).rejects.toMatchObject({
      name: 'InvalidConfigurationRequestException',
    });
    await expect(
      elb.send(
        new ApplySecurityGroupsToLoadBalancerCommand({
          LoadBalancerName: classic,
          SecurityGroups: ['sg-0aaaaaaaaaaaaaaaa'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    await expect(
      elb.send(
        new EnableAvailabilityZonesForLoadBalancerCommand({
          LoadBalancerName: vpc,
          AvailabilityZones: ['us-east-1b'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
  });
});
