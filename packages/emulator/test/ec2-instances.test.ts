import {
  DescribeInstancesCommand,
  type Instance,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 5_000, stopping: 4_000, shuttingDown: 3_000, terminatedVisible: 60_000 });

async function run(count: number, extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}) {
  const r = await t.ec2.send(
    new RunInstancesCommand({
      ImageId: AL2023,
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      ...extra,
    }),
  );
  return r;
}

async function describeOne(id: string): Promise<Instance> {
  const d = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return d.Reservations![0]!.Instances![0]!;
}

describe('RunInstances', () => {
  it('launches MaxCount instances in one reservation, pending, in the default subnet of the zone', async () => {
    const r = await run(3, { Placement: { AvailabilityZone: 'us-east-1b' } });
    expect(r.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(r.OwnerId).toBe('123456789012');
    expect(r.Instances).toHaveLength(3);
    const [a, b] = r.Instances!;
    expect(a!.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(a!.State).toEqual({ Code: 0, Name: 'pending' });
    expect(a!.StateReason?.Code).toBe('pending');
    expect(a!.Placement?.AvailabilityZone).toBe('us-east-1b');
    expect(a!.AmiLaunchIndex).toBe(0);
    expect(b!.AmiLaunchIndex).toBe(1);
    expect(a!.LaunchTime).toEqual(new Date(Date.UTC(2026, 0, 1)));
    expect(a!.PrivateIpAddress).toMatch(/^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/);
    expect(a!.PrivateDnsName).toBe(`ip-${a!.PrivateIpAddress!.replace(/\./g, '-')}.ec2.internal`);
    expect(a!.PublicDnsName).toBe(`ec2-${a!.PublicIpAddress!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    expect(a!.PrivateIpAddress).not.toBe(b!.PrivateIpAddress);
    expect(a!.SecurityGroups?.[0]?.GroupName).toBe('default');
    expect(a!.BlockDeviceMappings?.[0]?.DeviceName).toBe('/dev/xvda');
    expect(a!.BlockDeviceMappings?.[0]?.Ebs?.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
  });

  it('tags instances and volumes from TagSpecifications', async () => {
    const r = await run(1, {
      TagSpecifications: [
        { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'tagged' }] },
        { ResourceType: 'volume', Tags: [{ Key: 'disk', Value: 'root' }] },
      ],
    });
    expect(r.Instances![0]!.Tags).toEqual([{ Key: 'Name', Value: 'tagged' }]);
    const bad = await awsError(
      run(1, { TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'a', Value: 'b' }] }] }),
    );
    expect(bad.code).toBe('InvalidParameterValue');
  });

  it('is idempotent on ClientToken: same reservation, no new instances; other arguments are a mismatch', async () => {
    const first = await run(2, { ClientToken: 'token-1' });
    const again = await run(2, { ClientToken: 'token-1' });
    expect(again.ReservationId).toBe(first.ReservationId);
    expect(again.Instances!.map((i) => i.InstanceId)).toEqual(first.Instances!.map((i) => i.InstanceId));
    const all = await t.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['token-1'] }] }),
    );
    expect(all.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(2);
    const mismatch = await awsError(run(3, { ClientToken: 'token-1' }));
    expect(mismatch.code).toBe('IdempotentParameterMismatch');
  });

  it('validates image, key pair, security groups, subnet and instance type with AWS codes', async () => {
    expect((await awsError(run(1, { ImageId: 'ami-0123456789abcdef0' }))).code).toBe('InvalidAMIID.NotFound');
    expect((await awsError(run(1, { ImageId: 'ami-xyz' }))).code).toBe('InvalidAMIID.Malformed');
    const key = await awsError(run(1, { KeyName: 'nope' }));
    expect(key).toMatchObject({
      code: 'InvalidKeyPair.NotFound',
      message: "The key pair 'nope' does not exist",
    });
    expect((await awsError(run(1, { SecurityGroupIds: ['sg-0123456789abcdef0'] }))).code).toBe(
      'InvalidGroup.NotFound',
    );
    expect((await awsError(run(1, { SecurityGroups: ['missing'] }))).code).toBe('InvalidGroup.NotFound');
    expect((await awsError(run(1, { SubnetId: 'subnet-0123456789abcdef0' }))).code).toBe(
      'InvalidSubnetID.NotFound',
    );
    expect((await awsError(run(1, { InstanceType: 'x9.huge' as never }))).code).toBe('InvalidParameterValue');
    expect((await awsError(run(1, { MinCount: 3, MaxCount: 2 }))).code).toBe('InvalidParameterValue');
  });

  it('answers DryRunOperation (412) and launches nothing', async () => {
    const before = await t.ec2.send(new DescribeInstancesCommand({}));
    const e = await awsError(run(1, { DryRun: true }));
    expect(e).toEqual({
      code: 'DryRunOperation',
      message: 'Request would have succeeded, but DryRun flag is set.',
      status: 412,
    });
    const after = await t.ec2.send(new DescribeInstancesCommand({}));
    expect(after.Reservations!.length).toBe(before.Reservations!.length);
  });
});

describe('lifecycle on the virtual clock', () => {
  it('pending → running after the pending delay, not before', async () => {
    const id = (await run(1)).Instances![0]!.InstanceId!;
    t.emu.clock.advance(4_999);
    expect((await describeOne(id)).State?.Name).toBe('pending');
    t.emu.clock.advance(1);
    const i = await describeOne(id);
    expect(i.State).toEqual({ Code: 16, Name: 'running' });
    expect(i.StateReason).toBeUndefined();
    expect(i.StateTransitionReason).toBe('');
  });

  it('stop → stopping → stopped, start → pending → running, with previous and current states', async () => {
    const id = (await run(1)).Instances![0]!.InstanceId!;
    t.emu.clock.advance(5_000);
    const publicIp = (await describeOne(id)).PublicIpAddress;
    expect(publicIp).toBeDefined();
    const stop = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stop.StoppingInstances).toEqual([
      {
        InstanceId: id,
        PreviousState: { Code: 16, Name: 'running' },
        CurrentState: { Code: 64, Name: 'stopping' },
      },
    ]);
    const stopping = await describeOne(id);
    expect(stopping.State?.Name).toBe('stopping');
    expect(stopping.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    expect(stopping.StateReason).toEqual({
      Code: 'Client.UserInitiatedShutdown',
      Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
    });
    t.emu.clock.advance(3_999);
    expect((await describeOne(id)).State?.Name).toBe('stopping');
    t.emu.clock.advance(1);
    const stopped = await describeOne(id);
    expect(stopped.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(stopped.PublicIpAddress).toBeUndefined();

    const again = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(again.StoppingInstances![0]!.CurrentState?.Name).toBe('stopped');

    const start = await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(start.StartingInstances).toEqual([
      {
        InstanceId: id,
        PreviousState: { Code: 80, Name: 'stopped' },
        CurrentState: { Code: 0, Name: 'pending' },
      },
    ]);
    t.emu.clock.advance(5_000);
    const running = await describeOne(id);
    expect(running.State?.Name).toBe('running');
    expect(running.PublicIpAddress).toBeDefined();
    expect(running.PublicIpAddress).not.toBe(publicIp);
  });

  it('Force settles a stop at once', async () => {
    const id = (await run(1)).Instances![0]!.InstanceId!;
    t.emu.clock.advance(5_000);
    const stop = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id], Force: true }));
    expect(stop.StoppingInstances![0]!.CurrentState?.Name).toBe('stopping');
    expect((await describeOne(id)).State?.Name).toBe('stopped');
  });

  it('terminate → shutting-down → terminated, then the instance vanishes after terminatedVisible', async () => {
    const id = (await run(1)).Instances![0]!.InstanceId!;
    const term = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(term.TerminatingInstances![0]).toEqual({
      InstanceId: id,
      PreviousState: { Code: 0, Name: 'pending' },
      CurrentState: { Code: 32, Name: 'shutting-down' },
    });
    t.emu.clock.advance(3_000);
    const gone = await describeOne(id);
    expect(gone.State).toEqual({ Code: 48, Name: 'terminated' });
    expect(gone.PublicIpAddress).toBeUndefined();
    const twice = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(twice.TerminatingInstances![0]!.CurrentState?.Name).toBe('terminated');
    expect(twice.TerminatingInstances![0]!.PreviousState?.Name).toBe('terminated');
    t.emu.clock.advance(59_999);
    expect((await describeOne(id)).State?.Name).toBe('terminated');
    t.emu.clock.advance(1);
    expect((await awsError(t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })))).code).toBe(
      'InvalidInstanceID.NotFound',
    );
  });

  it('refuses what AWS refuses with IncorrectInstanceState', async () => {
    const [a, b] = (await run(2)).Instances!.map((i) => i.InstanceId!);
    t.emu.clock.advance(5_000);
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [a!] }));
    const start = await awsError(t.ec2.send(new StartInstancesCommand({ InstanceIds: [a!] })));
    expect(start).toMatchObject({
      code: 'IncorrectInstanceState',
      message: `The instance '${a}' is not in a state from which it can be started.`,
    });
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [b!] }));
    const stop = await awsError(t.ec2.send(new StopInstancesCommand({ InstanceIds: [b!] })));
    expect(stop.code).toBe('IncorrectInstanceState');
    const reboot = await awsError(t.ec2.send(new RebootInstancesCommand({ InstanceIds: [b!] })));
    expect(reboot.code).toBe('IncorrectInstanceState');
  });

  it('reboots a running instance and it stays running', async () => {
    const id = (await run(1)).Instances![0]!.InstanceId!;
    t.emu.clock.advance(5_000);
    await t.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect((await describeOne(id)).State?.Name).toBe('running');
    expect(
      (await awsError(t.ec2.send(new RebootInstancesCommand({ InstanceIds: [id], DryRun: true })))).code,
    ).toBe('DryRunOperation');
  });

  it('honours DisableApiTermination: TerminateInstances → OperationNotPermitted, nothing changes', async () => {
    const [a, b] = (await run(2)).Instances!.map((i) => i.InstanceId!);
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: a!, DisableApiTermination: { Value: true } }),
    );
    const e = await awsError(t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [a!, b!] })));
    expect(e).toMatchObject({
      code: 'OperationNotPermitted',
      message: `The instance '${a}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    });
    expect((await describeOne(b!)).State?.Name).toBe('pending');
    const protectedAtLaunch = (await run(1, { DisableApiTermination: true })).Instances![0]!.InstanceId!;
    const e2 = await awsError(
      t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [protectedAtLaunch] })),
    );
    expect(e2.code).toBe('OperationNotPermitted');
  });
});

describe('DescribeInstances', () => {
  it('names unknown ids in NotFound and rejects malformed ids', async () => {
    const one = await awsError(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    );
    expect(one).toEqual({
      code: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
      status: 400,
    });
    const two = await awsError(
      t.ec2.send(
        new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] }),
      ),
    );
    expect(two.message).toBe("The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    const bad = await awsError(t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-123'] })));
    expect(bad.code).toBe('InvalidInstanceID.Malformed');
  });

  it('refuses MaxResults with InstanceIds, and MaxResults outside 5..1000', async () => {
    const id = (await run(1)).Instances![0]!.InstanceId!;
    const combo = await awsError(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id], MaxResults: 5 })),
    );
    expect(combo.code).toBe('InvalidParameterCombination');
    expect((await awsError(t.ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })))).code).toBe(
      'InvalidParameterValue',
    );
    expect((await awsError(t.ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })))).code).toBe(
      'InvalidParameterValue',
    );
    expect((await awsError(t.ec2.send(new DescribeInstancesCommand({ NextToken: 'garbage' })))).code).toBe(
      'InvalidPaginationToken',
    );
  });

  it('pages with MaxResults/NextToken through every instance exactly once, grouped by reservation', async () => {
    const tag = { Key: 'batch', Value: 'paging' };
    const launched = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await run(4, { TagSpecifications: [{ ResourceType: 'instance', Tags: [tag] }] });
      for (const x of r.Instances!) launched.add(x.InstanceId!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'tag:batch', Values: ['paging'] }],
          MaxResults: 5,
          NextToken: token,
        }),
      );
      const ids = page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
      expect(ids.length).toBeLessThanOrEqual(5);
      for (const r of page.Reservations!)
        for (const i of r.Instances!) expect(launched.has(i.InstanceId!)).toBe(true);
      seen.push(...ids);
      token = page.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen)).toEqual(launched);
  });

  it('filters by state, type, zone, wildcards, tags, groups; unknown filters are an error', async () => {
    const r = await run(2, {
      InstanceType: 't3.small',
      Placement: { AvailabilityZone: 'us-east-1c' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'filter-web-1' }] }],
    });
    const ids = r.Instances!.map((i) => i.InstanceId!).sort();
    const q = async (Filters: { Name: string; Values: string[] }[]) => {
      const d = await t.ec2.send(new DescribeInstancesCommand({ Filters }));
      return d.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId!)).sort();
    };
    expect(await q([{ Name: 'tag:Name', Values: ['filter-web-*'] }])).toEqual(ids);
    expect(await q([{ Name: 'tag:Name', Values: ['filter-web-?'] }])).toEqual(ids);
    expect(await q([{ Name: 'tag:Name', Values: ['filter-web'] }])).toEqual([]);
    expect(
      await q([
        { Name: 'tag-key', Values: ['Name'] },
        { Name: 'tag-value', Values: ['filter-web-1'] },
      ]),
    ).toEqual(ids);
    expect(
      await q([
        { Name: 'instance-type', Values: ['t3.small'] },
        { Name: 'availability-zone', Values: ['us-east-1c'] },
        { Name: 'instance-state-name', Values: ['pending', 'running'] },
      ]),
    ).toEqual(expect.arrayContaining(ids));
    expect(await q([{ Name: 'instance-id', Values: [ids[0]!] }])).toEqual([ids[0]]);
    expect(await q([{ Name: 'reservation-id', Values: [r.ReservationId!] }])).toEqual(ids);
    const vpc = r.Instances![0]!.VpcId!;
    const group = r.Instances![0]!.SecurityGroups![0]!.GroupId!;
    expect(
      await q([
        { Name: 'vpc-id', Values: [vpc] },
        { Name: 'instance.group-id', Values: [group] },
        { Name: 'tag:Name', Values: ['filter-*'] },
      ]),
    ).toEqual(ids);
    expect(
      await q([
        { Name: 'image-id', Values: ['ami-none'] },
        { Name: 'tag:Name', Values: ['filter-*'] },
      ]),
    ).toEqual([]);
    const e = await awsError(q([{ Name: 'instance-colour', Values: ['red'] }]));
    expect(e).toMatchObject({
      code: 'InvalidParameterValue',
      message: "The filter 'instance-colour' is invalid",
    });
  });
});
