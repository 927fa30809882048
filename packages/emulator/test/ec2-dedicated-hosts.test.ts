import {
  AllocateHostsCommand,
  DescribeHostsCommand,
  DescribeInstancesCommand,
  ModifyHostsCommand,
  ReleaseHostsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });

const host = async (id: string) => (await t.ec2.send(new DescribeHostsCommand({ HostIds: [id] }))).Hosts![0]!;

const launch = (InstanceType: 'm5.large' | 'm5.24xlarge' | 'c5.large', Placement: object) =>
  t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1, InstanceType, Placement }));

describe('dedicated hosts', () => {
  it('allocates a host of a type, places instances on it until it is full, and releases it when empty', async () => {
    const { HostIds } = await t.ec2.send(
      new AllocateHostsCommand({
        AvailabilityZone: 'us-east-1a',
        InstanceType: 'm5.large',
        Quantity: 1,
        TagSpecifications: [{ ResourceType: 'dedicated-host', Tags: [{ Key: 'rack', Value: '7' }] }],
      }),
    );
    const id = HostIds![0]!;
    expect(id).toMatch(/^h-[0-9a-f]{17}$/);
    expect(await host(id)).toMatchObject({
      State: 'available',
      AutoPlacement: 'off',
      AvailabilityZone: 'us-east-1a',
      HostProperties: { InstanceType: 'm5.large', TotalVCpus: 96, Sockets: 2, Cores: 48 },
      AvailableCapacity: {
        AvailableVCpus: 96,
        AvailableInstanceCapacity: [{ InstanceType: 'm5.large', AvailableCapacity: 48, TotalCapacity: 48 }],
      },
      Instances: [],
      Tags: [{ Key: 'rack', Value: '7' }],
    });
    const placed = (await launch('m5.large', { Tenancy: 'host', HostId: id, AvailabilityZone: 'us-east-1a' }))
      .Instances![0]!;
    expect(placed.Placement).toMatchObject({ Tenancy: 'host', HostId: id });
    expect((await host(id)).Instances).toEqual([
      { InstanceId: placed.InstanceId, InstanceType: 'm5.large', OwnerId: '123456789012' },
    ]);
    expect((await host(id)).AvailableCapacity!.AvailableVCpus).toBe(94);
    const byHost = await t.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'host-id', Values: [id] }] }),
    );
    expect(byHost.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([
      placed.InstanceId,
    ]);

    // Another type does not fit a host of m5.large; auto-placement is off, so a hostless launch finds none.
    expect(
      (await awsError(launch('c5.large', { Tenancy: 'host', HostId: id, AvailabilityZone: 'us-east-1a' })))
        .code,
    ).toBe('InsufficientHostCapacity');
    expect(
      (await awsError(launch('m5.large', { Tenancy: 'host', AvailabilityZone: 'us-east-1a' }))).code,
    ).toBe('InsufficientHostCapacity');
    const wrongZone = await awsError(
      launch('m5.large', { Tenancy: 'host', HostId: id, AvailabilityZone: 'us-east-1b' }),
    );
    expect(wrongZone.code).toBe('InvalidParameterValue');

    const busy = await t.ec2.send(new ReleaseHostsCommand({ HostIds: [id] }));
    expect(busy.Successful).toEqual([]);
    expect(busy.Unsuccessful![0]).toMatchObject({
      ResourceId: id,
      Error: { Code: 'Client.InvalidHost.Occupied' },
    });
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [placed.InstanceId!] }));
    t.emu.clock.advance(1_000);
    expect((await t.ec2.send(new ReleaseHostsCommand({ HostIds: [id] }))).Successful).toEqual([id]);
    expect((await host(id)).State).toBe('released');
  });

  it('a family host with auto-placement takes several sizes; ModifyHosts changes it', async () => {
    const id = (
      await t.ec2.send(
        new AllocateHostsCommand({
          AvailabilityZone: 'us-east-1b',
          InstanceFamily: 'm5',
          AutoPlacement: 'on',
        }),
      )
    ).HostIds![0]!;
    const big = (await launch('m5.24xlarge', { Tenancy: 'host', AvailabilityZone: 'us-east-1b' }))
      .Instances![0]!;
    expect(big.Placement!.HostId).toBe(id);
    expect((await host(id)).AvailableCapacity!.AvailableVCpus).toBe(0);
    expect(
      (await awsError(launch('m5.large', { Tenancy: 'host', AvailabilityZone: 'us-east-1b' }))).code,
    ).toBe('InsufficientHostCapacity');
    const modified = await t.ec2.send(
      new ModifyHostsCommand({
        HostIds: [id, 'h-0123456789abcdef0'],
        AutoPlacement: 'off',
        HostRecovery: 'on',
      }),
    );
    expect(modified.Successful).toEqual([id]);
    expect(modified.Unsuccessful!.map((u) => u.ResourceId)).toEqual(['h-0123456789abcdef0']);
    expect(await host(id)).toMatchObject({ AutoPlacement: 'off', HostRecovery: 'on' });
    const occupied = await t.ec2.send(new ModifyHostsCommand({ HostIds: [id], InstanceType: 'm5.large' }));
    expect(occupied.Unsuccessful![0]!.Error!.Code).toBe('Client.InvalidHost.Occupied');
    const filtered = await t.ec2.send(
      new DescribeHostsCommand({ Filter: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }),
    );
    expect(filtered.Hosts!.map((h) => h.HostId)).toEqual([id]);
  });

  it('refuses burstable families, unknown types and both a type and a family', async () => {
    const burst = await awsError(
      t.ec2.send(new AllocateHostsCommand({ AvailabilityZone: 'us-east-1a', InstanceType: 't3.micro' })),
    );
    expect(burst.code).toBe('InvalidParameterValue');
    const both = await awsError(
      t.ec2.send(
        new AllocateHostsCommand({
          AvailabilityZone: 'us-east-1a',
          InstanceType: 'm5.large',
          InstanceFamily: 'm5',
        }),
      ),
    );
    expect(both.code).toBe('InvalidParameterCombination');
    const zone = await awsError(
      t.ec2.send(new AllocateHostsCommand({ AvailabilityZone: 'us-east-1z', InstanceType: 'm5.large' })),
    );
    expect(zone.code).toBe('InvalidParameterValue');
    expect(
      (await awsError(t.ec2.send(new DescribeHostsCommand({ HostIds: ['h-0123456789abcdef0'] })))).code,
    ).toBe('InvalidHostID.NotFound');
  });
});
