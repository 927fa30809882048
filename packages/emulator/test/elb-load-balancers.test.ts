import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import * as elbSdk from '@aws-sdk/client-elastic-load-balancing';
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeAccountLimitsCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  paginateDescribeLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';
import { elbHandlers } from '../src/services/elb';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const elbClient = (emu: Emulator, region = 'us-east-1') =>
  new ElasticLoadBalancingClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });

const http80 = [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }];

let emu: Emulator;
let elb: ElasticLoadBalancingClient;
let ec2: EC2Client;
/** The default VPC's subnet in us-east-1a and us-east-1b, and its default security group, as EC2 describes them. */
let subnetA: string;
let subnetB: string;
let defaultGroup: { GroupId: string; VpcId: string };
beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  elb = elbClient(emu);
  ec2 = new EC2Client({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const { Subnets = [] } = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
  );
  subnetA = Subnets.find((x) => x.AvailabilityZone === 'us-east-1a')?.SubnetId ?? '';
  subnetB = Subnets.find((x) => x.AvailabilityZone === 'us-east-1b')?.SubnetId ?? '';
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
  );
  defaultGroup = { GroupId: SecurityGroups[0]?.GroupId ?? '', VpcId: SecurityGroups[0]?.VpcId ?? '' };
});
afterAll(() => emu.close());

describe('coverage', () => {
  it('has a handler for every Classic ELB command the SDK exports', () => {
    const actions = Object.keys(elbSdk)
      .filter((k) => /^[A-Z][A-Za-z]+Command$/.test(k))
      .map((k) => k.slice(0, -'Command'.length));
    expect(actions).toHaveLength(29);
    expect(actions.filter((a) => !(a in elbHandlers))).toEqual([]);
    expect(Object.keys(elbHandlers).sort()).toEqual([...actions].sort());
  });
});

describe('CreateLoadBalancer and DescribeLoadBalancers', () => {
  it('creates a load balancer in zones, in the default VPC, with AWS defaults', async () => {
    const created = await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'web-zones',
        Listeners: http80,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      }),
    );
    expect(created.DNSName).toMatch(/^web-zones-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    const { LoadBalancerDescriptions } = await elb.send(
      new DescribeLoadBalancersCommand({ LoadBalancerNames: ['web-zones'] }),
    );
    expect(LoadBalancerDescriptions).toHaveLength(1);
    const lb = LoadBalancerDescriptions?.[0];
    expect(lb).toMatchObject({
      LoadBalancerName: 'web-zones',
      DNSName: created.DNSName,
      CanonicalHostedZoneName: created.DNSName,
      CanonicalHostedZoneNameID: 'Z35SXDOTRQ7X7K',
      ListenerDescriptions: [
        {
          Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 },
          PolicyNames: [],
        },
      ],
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      HealthCheck: {
        Target: 'TCP:8080',
        Interval: 30,
        Timeout: 5,
        UnhealthyThreshold: 2,
        HealthyThreshold: 10,
      },
      // Since EC2-Classic's retirement, zones mean the default VPC's default subnets and group.
      Subnets: [subnetA, subnetB],
      VPCId: defaultGroup.VpcId,
      SecurityGroups: [defaultGroup.GroupId],
      SourceSecurityGroup: { OwnerAlias: '123456789012', GroupName: 'default' },
      Scheme: 'internet-facing',
    });
    expect(subnetA).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(lb?.CreatedTime).toEqual(new Date(emu.clock.now()));
  });

  it('creates an internal load balancer in subnets', async () => {
    const { GroupId: api = '' } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'api-lb', Description: 'api', VpcId: defaultGroup.VpcId }),
    );
    const created = await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'internal-api',
        Listeners: [{ Protocol: 'tcp', LoadBalancerPort: 5000, InstancePort: 5000 }],
        Subnets: [subnetB],
        SecurityGroups: [api],
        Scheme: 'internal',
      }),
    );
    expect(created.DNSName).toMatch(/^internal-internal-api-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['internal-api'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb).toMatchObject({
      Subnets: [subnetB],
      AvailabilityZones: ['us-east-1b'],
      VPCId: defaultGroup.VpcId,
      SecurityGroups: [api],
      Scheme: 'internal',
      ListenerDescriptions: [{ Listener: { Protocol: 'TCP', InstanceProtocol: 'TCP' } }],
      SourceSecurityGroup: { OwnerAlias: '123456789012', GroupName: 'api-lb' },
    });
    expect(lb?.CanonicalHostedZoneName).toBeUndefined();
  });

  it('answers the same DNS name when created again with the same listeners, DuplicateLoadBalancerName otherwise', async () => {
    const input = { LoadBalancerName: 'idem', Listeners: http80, AvailabilityZones: ['us-east-1a'] };
    const first = await elb.send(new CreateLoadBalancerCommand(input));
    const again = await elb.send(new CreateLoadBalancerCommand(input));
    expect(again.DNSName).toBe(first.DNSName);
    await expect(
      elb.send(
        new CreateLoadBalancerCommand({
          ...input,
          Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 80 }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'DuplicateAccessPointNameException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each([
    [
      'a name that ends with a hyphen',
      { LoadBalancerName: 'bad-', AvailabilityZones: ['us-east-1a'] },
      'ValidationError',
    ],
    [
      'a 33-character name',
      { LoadBalancerName: 'a'.repeat(33), AvailabilityZones: ['us-east-1a'] },
      'ValidationError',
    ],
    ['neither zones nor subnets', { LoadBalancerName: 'nowhere' }, 'ValidationError'],
    [
      'both zones and subnets',
      { LoadBalancerName: 'both', AvailabilityZones: ['us-east-1a'], Subnets: ['<subnetA>'] },
      'ValidationError',
    ],
    [
      'a zone of another region',
      { LoadBalancerName: 'elsewhere', AvailabilityZones: ['eu-west-1a'] },
      'ValidationError',
    ],
    [
      'an internal scheme outside a VPC',
      { LoadBalancerName: 'int', AvailabilityZones: ['us-east-1a'], Scheme: 'internal' },
      'InvalidSchemeException',
    ],
    [
      'a malformed subnet',
      { LoadBalancerName: 'nosubnet', Subnets: ['subnet-nope'] },
      'SubnetNotFoundException',
    ],
    [
      'an unknown subnet',
      { LoadBalancerName: 'nosubnet2', Subnets: ['subnet-0123456789abcdef0'] },
      'SubnetNotFoundException',
    ],
    [
      'two subnets in one zone',
      { LoadBalancerName: 'twice', Subnets: ['<subnetA>', '<subnetA2>'] },
      'InvalidSubnetException',
    ],
    [
      'a security group named rather than its id',
      { LoadBalancerName: 'nosg', Subnets: ['<subnetA>'], SecurityGroups: ['default'] },
      'InvalidSecurityGroupException',
    ],
    [
      'an unknown security group',
      { LoadBalancerName: 'nosg2', Subnets: ['<subnetA>'], SecurityGroups: ['sg-0123456789abcdef0'] },
      'InvalidSecurityGroupException',
    ],
  ])('rejects %s', async (_what, input, name) => {
    // Real subnet ids are only known once the emulator runs.
    const real = async (id: string) => {
      if (id === '<subnetA>') return subnetA;
      if (id !== '<subnetA2>') return id;
      const { Subnet } = await ec2.send(
        new CreateSubnetCommand({
          VpcId: defaultGroup.VpcId,
          CidrBlock: '172.31.200.0/24',
          AvailabilityZone: 'us-east-1a',
        }),
      );
      return Subnet?.SubnetId ?? '';
    };
    const Subnets = 'Subnets' in input ? await Promise.all(input.Subnets.map(real)) : undefined;
    await expect(
      elb.send(new CreateLoadBalancerCommand({ Listeners: http80, ...input, Subnets })),
    ).rejects.toMatchObject({ name });
    const { LoadBalancerDescriptions = [] } = await elb.send(new DescribeLoadBalancersCommand({}));
    expect(LoadBalancerDescriptions.map((d) => d.LoadBalancerName)).not.toContain(input.LoadBalancerName);
  });

  it('answers LoadBalancerNotFound for an unknown name', async () => {
    await expect(
      elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['ghost'] })),
    ).rejects.toMatchObject({
      name: 'AccessPointNotFoundException',
      message: "There is no ACTIVE Load Balancer named 'ghost'",
    });
  });

  it('deletes a load balancer, and deleting it again succeeds', async () => {
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'short-lived',
        Listeners: http80,
        AvailabilityZones: ['us-east-1c'],
      }),
    );
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: 'short-lived' }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: 'short-lived' }));
    await expect(
      elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['short-lived'] })),
    ).rejects.toMatchObject({
      name: 'AccessPointNotFoundException',
    });
  });

  it('keeps load balancers per region', async () => {
    const west = elbClient(emu, 'us-west-2');
    await west.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'west-only',
        Listeners: http80,
        AvailabilityZones: ['us-west-2a'],
      }),
    );
    const lb = (await west.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['west-only'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb?.CanonicalHostedZoneNameID).toBe('Z1H1FL5HABSF5');
    await expect(
      elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['west-only'] })),
    ).rejects.toMatchObject({
      name: 'AccessPointNotFoundException',
    });
  });
});

describe('paging and limits (a fresh emulator)', () => {
  let fresh: Emulator;
  let client: ElasticLoadBalancingClient;
  beforeAll(async () => {
    fresh = await startEmulator({ clock: 'virtual' });
    client = elbClient(fresh);
  });
  afterAll(() => fresh.close());

  it('pages DescribeLoadBalancers with Marker and PageSize, and stops at 20 load balancers', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `lb-${String(i).padStart(2, '0')}`);
    for (const LoadBalancerName of names)
      await client.send(
        new CreateLoadBalancerCommand({
          LoadBalancerName,
          Listeners: http80,
          AvailabilityZones: ['us-east-1a'],
        }),
      );
    await expect(
      client.send(
        new CreateLoadBalancerCommand({
          LoadBalancerName: 'one-too-many',
          Listeners: http80,
          AvailabilityZones: ['us-east-1a'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'TooManyAccessPointsException' });

    const first = await client.send(new DescribeLoadBalancersCommand({ PageSize: 7 }));
    expect(first.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(names.slice(0, 7));
    expect(first.NextMarker).toBeTruthy();

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLoadBalancers({ client }, { PageSize: 7 })) {
      pages++;
      for (const d of page.LoadBalancerDescriptions ?? []) seen.push(d.LoadBalancerName ?? '');
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(names);

    await expect(
      client.send(new DescribeLoadBalancersCommand({ Marker: 'bm90LWEtbmFtZQ==' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(client.send(new DescribeLoadBalancersCommand({ PageSize: 401 }))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('pages a subset of names at any page size into exactly that subset, in order', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `lb-${String(i).padStart(2, '0')}`);
    const subsets = [[], ['lb-05'], ['lb-19', 'lb-00', 'lb-07'], names.filter((_, i) => i % 2 === 1)];
    for (const subset of subsets)
      for (const PageSize of [1, 2, 3, 7, 10, 20, 25]) {
        const seen: string[] = [];
        for await (const page of paginateDescribeLoadBalancers(
          { client },
          { LoadBalancerNames: subset, PageSize },
        ))
          for (const d of page.LoadBalancerDescriptions ?? []) seen.push(d.LoadBalancerName ?? '');
        expect(seen, `subset ${subset.join(',')} PageSize ${PageSize}`).toEqual(
          subset.length ? subset : names,
        );
      }
  });

  it('describes the account limits, in pages', async () => {
    const all = await client.send(new DescribeAccountLimitsCommand({}));
    expect(all.Limits).toEqual([
      { Name: 'classic-load-balancers', Max: '20' },
      { Name: 'classic-listeners', Max: '100' },
      { Name: 'classic-registered-instances', Max: '1000' },
    ]);
    expect(all.NextMarker).toBeUndefined();
    const first = await client.send(new DescribeAccountLimitsCommand({ PageSize: 2 }));
    expect(first.Limits).toHaveLength(2);
    const rest = await client.send(
      new DescribeAccountLimitsCommand({ PageSize: 2, Marker: first.NextMarker }),
    );
    expect(rest.Limits).toEqual([{ Name: 'classic-registered-instances', Max: '1000' }]);
  });
});
