import {
  CreatePlacementGroupCommand,
  DeletePlacementGroupCommand,
  DescribeInstancesCommand,
  DescribePlacementGroupsCommand,
  ModifyInstancePlacementCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000, stopping: 1_000, shuttingDown: 1_000 });

const run = async (Placement: object, count = 1, InstanceType: 'm5.large' | 't3.micro' = 'm5.large') =>
  (
    await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: count, MaxCount: count, InstanceType, Placement }),
    )
  ).Instances!;

const groups = async (names: string[]) =>
  (await t.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: names }))).PlacementGroups!;

describe('placement groups', () => {
  it('creates each strategy, describes and filters them, and refuses duplicates and bad counts', async () => {
    const cluster = (
      await t.ec2.send(
        new CreatePlacementGroupCommand({
          GroupName: 'hpc',
          Strategy: 'cluster',
          TagSpecifications: [{ ResourceType: 'placement-group', Tags: [{ Key: 'k', Value: 'v' }] }],
        }),
      )
    ).PlacementGroup!;
    expect(cluster).toMatchObject({
      GroupName: 'hpc',
      GroupId: expect.stringMatching(/^pg-[0-9a-f]{17}$/),
      GroupArn: 'arn:aws:ec2:us-east-1:123456789012:placement-group/hpc',
      State: 'available',
      Strategy: 'cluster',
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    await t.ec2.send(
      new CreatePlacementGroupCommand({ GroupName: 'parts', Strategy: 'partition', PartitionCount: 3 }),
    );
    await t.ec2.send(new CreatePlacementGroupCommand({ GroupName: 'apart', Strategy: 'spread' }));
    expect(
      (await groups(['parts', 'apart'])).map((g) => [g.GroupName, g.PartitionCount, g.SpreadLevel]),
    ).toEqual([
      ['parts', 3, undefined],
      ['apart', undefined, 'rack'],
    ]);
    const byStrategy = await t.ec2.send(
      new DescribePlacementGroupsCommand({ Filters: [{ Name: 'strategy', Values: ['spread'] }] }),
    );
    expect(byStrategy.PlacementGroups!.map((g) => g.GroupName)).toEqual(['apart']);
    expect(
      (await awsError(t.ec2.send(new CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'spread' }))))
        .code,
    ).toBe('InvalidPlacementGroup.Duplicate');
    expect(
      (
        await awsError(
          t.ec2.send(
            new CreatePlacementGroupCommand({ GroupName: 'x', Strategy: 'partition', PartitionCount: 8 }),
          ),
        )
      ).code,
    ).toBe('InvalidParameterValue');
    expect(
      (
        await awsError(
          t.ec2.send(
            new CreatePlacementGroupCommand({ GroupName: 'y', Strategy: 'cluster', PartitionCount: 2 }),
          ),
        )
      ).code,
    ).toBe('InvalidParameterCombination');
    expect(
      await awsError(t.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['x'] }))),
    ).toMatchObject({
      code: 'InvalidPlacementGroup.Unknown',
      message: "The Placement Group 'x' is unknown.",
    });
  });

  it('instances launch into a group (partitions round-robin, spread ≤ 7 per zone); a used group cannot be deleted', async () => {
    const parts = await run({ GroupName: 'parts' }, 4);
    expect(parts.map((i) => i.Placement!.PartitionNumber)).toEqual([1, 2, 3, 1]);
    expect(parts[0]!.Placement!.GroupName).toBe('parts');
    const pinned = await run({ GroupName: 'parts', PartitionNumber: 2 });
    expect(pinned[0]!.Placement!.PartitionNumber).toBe(2);
    expect(
      (
        await awsError(
          t.ec2.send(
            new RunInstancesCommand({
              ImageId: AL2023,
              MinCount: 1,
              MaxCount: 1,
              InstanceType: 'm5.large',
              Placement: { GroupName: 'parts', PartitionNumber: 4 },
            }),
          ),
        )
      ).code,
    ).toBe('InvalidParameterValue');
    const filtered = await t.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'placement-group-name', Values: ['parts'] }] }),
    );
    expect(filtered.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(5);

    await run({ GroupName: 'apart' }, 7);
    const eighth = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          MinCount: 1,
          MaxCount: 1,
          Placement: { GroupName: 'apart' },
        }),
      ),
    );
    expect(eighth.code).toBe('InvalidParameterValue');
    const clusterT = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.micro',
          Placement: { GroupName: 'hpc' },
        }),
      ),
    );
    expect(clusterT.code).toBe('InvalidParameterCombination');

    const inUse = await awsError(t.ec2.send(new DeletePlacementGroupCommand({ GroupName: 'parts' })));
    expect(inUse.code).toBe('InvalidPlacementGroup.InUse');
    await t.ec2.send(
      new TerminateInstancesCommand({ InstanceIds: [...parts, ...pinned].map((i) => i.InstanceId!) }),
    );
    t.emu.clock.advance(1_000);
    await t.ec2.send(new DeletePlacementGroupCommand({ GroupName: 'parts' }));
    expect(
      (await awsError(t.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['parts'] })))).code,
    ).toBe('InvalidPlacementGroup.Unknown');
  });

  it('ModifyInstancePlacement moves a stopped instance in and out of a group', async () => {
    const [i] = await run({});
    const id = i!.InstanceId!;
    const running = await awsError(
      t.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, GroupName: 'hpc' })),
    );
    expect(running.code).toBe('IncorrectInstanceState');
    t.emu.clock.advance(1_000);
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    t.emu.clock.advance(1_000);
    expect(
      (await t.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, GroupName: 'hpc' }))).Return,
    ).toBe(true);
    const placement = async () =>
      (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
        .Placement!;
    expect((await placement()).GroupName).toBe('hpc');
    const unknown = await awsError(
      t.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, GroupName: 'nope' })),
    );
    expect(unknown.code).toBe('InvalidPlacementGroup.Unknown');
    expect((await placement()).GroupName).toBe('hpc');
    await t.ec2.send(new ModifyInstancePlacementCommand({ InstanceId: id, GroupName: '' }));
    expect((await placement()).GroupName).toBe('');
  });
});
