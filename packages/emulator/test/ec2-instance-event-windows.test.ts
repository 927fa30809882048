import {
  AllocateHostsCommand,
  AssociateInstanceEventWindowCommand,
  CreateInstanceEventWindowCommand,
  DeleteInstanceEventWindowCommand,
  DescribeInstanceEventWindowsCommand,
  DisassociateInstanceEventWindowCommand,
  ModifyInstanceEventWindowCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const window = async (id: string) =>
  (await t.ec2.send(new DescribeInstanceEventWindowsCommand({ InstanceEventWindowIds: [id] })))
    .InstanceEventWindows![0]!;

describe('instance event windows', () => {
  it('creates with time ranges or cron, modifies, associates one kind of target and deletes', async () => {
    const created = (
      await t.ec2.send(
        new CreateInstanceEventWindowCommand({
          Name: 'weekend',
          TimeRanges: [{ StartWeekDay: 'saturday', StartHour: 2, EndWeekDay: 'sunday', EndHour: 2 }],
          TagSpecifications: [{ ResourceType: 'instance-event-window', Tags: [{ Key: 'k', Value: 'v' }] }],
        }),
      )
    ).InstanceEventWindow!;
    expect(created).toMatchObject({
      InstanceEventWindowId: expect.stringMatching(/^iew-[0-9a-f]{17}$/),
      Name: 'weekend',
      State: 'creating',
      AssociationTarget: { InstanceIds: [], Tags: [], DedicatedHostIds: [] },
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    const id = created.InstanceEventWindowId!;
    expect((await window(id)).State).toBe('active');
    await t.ec2.send(
      new ModifyInstanceEventWindowCommand({ InstanceEventWindowId: id, CronExpression: '* 21-23 * * 2,3' }),
    );
    expect(await window(id)).toMatchObject({ CronExpression: '* 21-23 * * 2,3', TimeRanges: [] });

    const i = (await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 })))
      .Instances![0]!.InstanceId!;
    await t.ec2.send(
      new AssociateInstanceEventWindowCommand({
        InstanceEventWindowId: id,
        AssociationTarget: { InstanceIds: [i] },
      }),
    );
    expect((await window(id)).AssociationTarget!.InstanceIds).toEqual([i]);
    const byInstance = await t.ec2.send(
      new DescribeInstanceEventWindowsCommand({ Filters: [{ Name: 'instance-id', Values: [i] }] }),
    );
    expect(byInstance.InstanceEventWindows!.map((w) => w.InstanceEventWindowId)).toEqual([id]);
    const mixed = await awsError(
      t.ec2.send(
        new AssociateInstanceEventWindowCommand({
          InstanceEventWindowId: id,
          AssociationTarget: { InstanceTags: [{ Key: 'env', Value: 'prod' }] },
        }),
      ),
    );
    expect(mixed.code).toBe('InvalidParameterCombination');
    const other = (await t.ec2.send(new CreateInstanceEventWindowCommand({ CronExpression: '* 1-3 * * 0' })))
      .InstanceEventWindow!;
    const taken = await awsError(
      t.ec2.send(
        new AssociateInstanceEventWindowCommand({
          InstanceEventWindowId: other.InstanceEventWindowId,
          AssociationTarget: { InstanceIds: [i] },
        }),
      ),
    );
    expect(taken.code).toBe('InvalidParameterValue');
    const host = (
      await t.ec2.send(new AllocateHostsCommand({ AvailabilityZone: 'us-east-1a', InstanceType: 'm5.large' }))
    ).HostIds![0]!;
    await t.ec2.send(
      new AssociateInstanceEventWindowCommand({
        InstanceEventWindowId: other.InstanceEventWindowId,
        AssociationTarget: { DedicatedHostIds: [host] },
      }),
    );
    expect((await window(other.InstanceEventWindowId!)).AssociationTarget!.DedicatedHostIds).toEqual([host]);

    const inUse = await awsError(
      t.ec2.send(new DeleteInstanceEventWindowCommand({ InstanceEventWindowId: id })),
    );
    expect(inUse.code).toBe('IncorrectState');
    await t.ec2.send(
      new DisassociateInstanceEventWindowCommand({
        InstanceEventWindowId: id,
        AssociationTarget: { InstanceIds: [i] },
      }),
    );
    const out = await t.ec2.send(new DeleteInstanceEventWindowCommand({ InstanceEventWindowId: id }));
    expect(out.InstanceEventWindowState).toEqual({ InstanceEventWindowId: id, State: 'deleting' });
    expect((await awsError(window(id))).code).toBe('InvalidInstanceEventWindowID.NotFound');
    const forced = await t.ec2.send(
      new DeleteInstanceEventWindowCommand({
        InstanceEventWindowId: other.InstanceEventWindowId,
        ForceDelete: true,
      }),
    );
    expect(forced.InstanceEventWindowState!.State).toBe('deleting');
  });

  it('refuses short ranges, bad cron and both at once, creating nothing', async () => {
    const before = (await t.ec2.send(new DescribeInstanceEventWindowsCommand({}))).InstanceEventWindows!
      .length;
    const short = await awsError(
      t.ec2.send(
        new CreateInstanceEventWindowCommand({
          TimeRanges: [{ StartWeekDay: 'monday', StartHour: 1, EndWeekDay: 'monday', EndHour: 2 }],
        }),
      ),
    );
    expect(short.code).toBe('InvalidParameterValue');
    const cron = await awsError(
      t.ec2.send(new CreateInstanceEventWindowCommand({ CronExpression: '0 1 * * *' })),
    );
    expect(cron.code).toBe('InvalidParameterValue');
    const both = await awsError(
      t.ec2.send(
        new CreateInstanceEventWindowCommand({
          CronExpression: '* 1-3 * * 0',
          TimeRanges: [{ StartWeekDay: 'monday', StartHour: 1, EndWeekDay: 'monday', EndHour: 5 }],
        }),
      ),
    );
    expect(both.code).toBe('InvalidParameterCombination');
    expect((await t.ec2.send(new DescribeInstanceEventWindowsCommand({}))).InstanceEventWindows).toHaveLength(
      before,
    );
  });
});
