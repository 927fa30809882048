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
beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  elb = elbClient(emu);
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
  it('creates a load balancer in zones with AWS defaults', async () => {
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
      SourceSecurityGroup: { OwnerAlias: 'amazon-elb', GroupName: 'amazon-elb-sg' },
      Scheme: 'internet-facing',
    });
    expect(lb?.VPCId).toBeUndefined();
    expect(lb?.CreatedTime).toEqual(new Date(emu.clock.now()));
  });

  it('creates an internal load balancer in subnets', async () => {
    const created = await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'internal-api',
        Listeners: [{ Protocol: 'tcp', LoadBalancerPort: 5000, InstancePort: 5000 }],
        Subnets: ['subnet-0123456789abcdef0'],
        SecurityGroups: ['sg-0123456789abcdef0'],
        Scheme: 'internal',
      }),
    );
    expect(created.DNSName).toMatch(/^internal-internal-api-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['internal-api'] })))
      .LoadBalancerDescriptions?.[0];
    expect(lb).toMatchObject({
      Subnets: ['subnet-0123456789abcdef0'],
      SecurityGroups: ['sg-0123456789abcdef0'],
      Scheme: 'internal',
      ListenerDescriptions: [{ Listener: { Protocol: 'TCP', InstanceProtocol: 'TCP' } }],
      SourceSecurityGroup: { OwnerAlias: '123456789012' },
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
      { LoadBalancerName: 'both', AvailabilityZones: ['us-east-1a'], Subnets: ['subnet-0123456789abcdef0'] },
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
      'an unknown subnet',
      { LoadBalancerName: 'nosubnet', Subnets: ['subnet-nope'] },
      'SubnetNotFoundException',
    ],
    [
      'an unknown security group',
      { LoadBalancerName: 'nosg', Subnets: ['subnet-0123456789abcdef0'], SecurityGroups: ['default'] },
      'InvalidSecurityGroupException',
    ],
  ])('rejects %s', async (_what, input, name) => {
    await expect(
      elb.send(new CreateLoadBalancerCommand({ Listeners: http80, ...input })),
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
