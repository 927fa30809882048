import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  ModifyVolumeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const STEP = 10_000;
const t = useEc2({ pending: STEP });

const volume = async (size = 10) =>
  (
    await t.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: size, VolumeType: 'gp2' }),
    )
  ).VolumeId!;

const modification = async (id: string) =>
  (await t.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [id] }))).VolumesModifications![0];

describe('volume modifications', () => {
  it('modifying → optimizing → completed on the clock; the volume takes the new configuration', async () => {
    const id = await volume(10);
    const out = await t.ec2.send(
      new ModifyVolumeCommand({ VolumeId: id, Size: 20, VolumeType: 'gp3', Throughput: 250 }),
    );
    expect(out.VolumeModification).toMatchObject({
      VolumeId: id,
      ModificationState: 'modifying',
      Progress: 0,
      OriginalSize: 10,
      OriginalVolumeType: 'gp2',
      OriginalIops: 100,
      TargetSize: 20,
      TargetVolumeType: 'gp3',
      TargetIops: 3000,
      TargetThroughput: 250,
    });
    expect((await t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]).toMatchObject({
      Size: 20,
      VolumeType: 'gp3',
      Iops: 3000,
      Throughput: 250,
    });
    const again = await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: 30 })));
    expect(again.code).toBe('IncorrectModificationState');
    // Attaching waits for the modifying step.
    const i = (
      await t.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023,
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: 'us-east-1a' },
        }),
      )
    ).Instances![0]!.InstanceId!;
    t.emu.clock.advance(STEP / 2);
    expect(await modification(id)).toMatchObject({ ModificationState: 'modifying', Progress: 25 });
    t.emu.clock.advance(STEP / 2);
    expect(await modification(id)).toMatchObject({ ModificationState: 'optimizing', Progress: 50 });
    await t.ec2.send(new AttachVolumeCommand({ VolumeId: id, InstanceId: i, Device: '/dev/sdf' }));
    t.emu.clock.advance(STEP);
    const done = await modification(id);
    expect(done).toMatchObject({ ModificationState: 'completed', Progress: 100 });
    expect(done!.EndTime).toBeInstanceOf(Date);
    const byState = await t.ec2.send(
      new DescribeVolumesModificationsCommand({
        Filters: [{ Name: 'modification-state', Values: ['completed'] }],
      }),
    );
    expect(byState.VolumesModifications!.map((m) => m.VolumeId)).toContain(id);
  });

  it('refuses shrinking, no change, bad gp3 settings, and a fifth change within 24 hours', async () => {
    const id = await volume(10);
    const before = (await t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0];
    expect((await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: 5 })))).code).toBe(
      'InvalidParameterValue',
    );
    expect((await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: 10 })))).code).toBe(
      'InvalidParameterValue',
    );
    expect(
      (await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, VolumeType: 'gp3', Iops: 100 }))))
        .code,
    ).toBe('InvalidParameterValue');
    expect(
      (await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Throughput: 300 })))).code,
    ).toBe('InvalidParameterValue');
    expect(
      (await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: 11, DryRun: true })))).code,
    ).toBe('DryRunOperation');
    expect((await t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]).toEqual(before);
    expect(await modification(id)).toBeUndefined();
    for (const size of [11, 12, 13, 14]) {
      await t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: size }));
      t.emu.clock.advance(2 * STEP);
    }
    const fifth = await awsError(t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: 15 })));
    expect(fifth.code).toBe('VolumeModificationRateExceeded');
    t.emu.clock.advance(24 * 60 * 60_000);
    await t.ec2.send(new ModifyVolumeCommand({ VolumeId: id, Size: 15 }));
    const missing = await awsError(
      t.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: ['vol-0123456789abcdef0'] })),
    );
    expect(missing.code).toBe('InvalidVolume.NotFound');
  });
});
