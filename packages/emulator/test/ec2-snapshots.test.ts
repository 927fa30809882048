import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
  ResetSnapshotAttributeCommand,
  RunInstancesCommand,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const PENDING = 10_000;
const t = useEc2({ pending: PENDING });

const volume = async (size = 10) =>
  (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: size }))).VolumeId!;

const snapshot = async (id: string, client = t.ec2): Promise<Snapshot> =>
  (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;

const running = async () => {
  const i = (await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 })))
    .Instances![0]!;
  t.emu.clock.advance(PENDING);
  return i;
};

describe('snapshots', () => {
  it('go pending → completed on the clock, with progress', async () => {
    const vol = await volume(12);
    const created = await t.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: vol,
        Description: 'nightly',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'n1' }] }],
      }),
    );
    expect(created).toMatchObject({
      SnapshotId: expect.stringMatching(/^snap-[0-9a-f]{17}$/),
      VolumeId: vol,
      VolumeSize: 12,
      State: 'pending',
      Progress: '0%',
      Description: 'nightly',
      OwnerId: '123456789012',
      Encrypted: false,
      Tags: [{ Key: 'Name', Value: 'n1' }],
    });
    const id = created.SnapshotId!;
    t.emu.clock.advance(PENDING / 2);
    expect(await snapshot(id)).toMatchObject({ State: 'pending', Progress: '50%' });
    // Not completed: no volume from it yet.
    expect(
      (
        await awsError(
          t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: id })),
        )
      ).code,
    ).toBe('IncorrectState');
    t.emu.clock.advance(PENDING / 2);
    expect(await snapshot(id)).toMatchObject({ State: 'completed', Progress: '100%' });

    const byFilter = async (Name: string, Values: string[]) =>
      (await t.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name, Values }] }))).Snapshots!.map(
        (s) => s.SnapshotId,
      );
    expect(await byFilter('volume-id', [vol])).toEqual([id]);
    expect(await byFilter('status', ['completed'])).toContain(id);
    expect(await byFilter('tag:Name', ['n1'])).toEqual([id]);
    expect(await byFilter('volume-size', ['12'])).toEqual([id]);
    expect(await byFilter('description', ['night*'])).toEqual([id]);
    expect(
      (
        await awsError(
          t.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'bogus', Values: ['1'] }] })),
        )
      ).code,
    ).toBe('InvalidParameterValue');

    // A volume from it is at least its size.
    const small = await awsError(
      t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: id, Size: 8 })),
    );
    expect(small).toMatchObject({ code: 'InvalidParameterValue' });
    expect(small.message).toContain('expect size >= 12');
    const restored = await t.ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: id }),
    );
    expect(restored).toMatchObject({ Size: 12, SnapshotId: id, AvailabilityZone: 'us-east-1b' });

    await t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
    expect(await awsError(t.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })))).toMatchObject({
      code: 'InvalidSnapshot.NotFound',
      message: `The snapshot '${id}' does not exist.`,
    });
    expect((await awsError(t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-xyz' })))).code).toBe(
      'InvalidSnapshotID.Malformed',
    );
  });

  it('CreateSnapshots takes every volume of an instance, less the boot volume when asked', async () => {
    const i = await running();
    const all = await t.ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: i.InstanceId },
        Description: 'multi',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'set', Value: 'a' }] }],
      }),
    );
    expect(all.Snapshots).toHaveLength(1);
    expect(all.Snapshots![0]).toMatchObject({
      State: 'pending',
      Description: 'multi',
      Tags: [{ Key: 'set', Value: 'a' }],
    });
    const none = await awsError(
      t.ec2.send(
        new CreateSnapshotsCommand({
          InstanceSpecification: { InstanceId: i.InstanceId, ExcludeBootVolume: true },
        }),
      ),
    );
    expect(none.code).toBe('InvalidParameterValue');
    const missing = await awsError(
      t.ec2.send(
        new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: 'i-0123456789abcdef0' } }),
      ),
    );
    expect(missing.code).toBe('InvalidInstanceID.NotFound');
  });

  it('copies across regions, completing on the clock', async () => {
    const west = new EC2Client({
      endpoint: t.emu.url,
      region: 'us-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const src = (await t.ec2.send(new CreateSnapshotCommand({ VolumeId: await volume(9) }))).SnapshotId!;
      const early = await awsError(
        west.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: src })),
      );
      expect(early.code).toBe('IncorrectState');
      t.emu.clock.advance(PENDING);
      const copy = await west.send(
        new CopySnapshotCommand({
          SourceRegion: 'us-east-1',
          SourceSnapshotId: src,
          Encrypted: true,
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'copy', Value: 'yes' }] }],
        }),
      );
      expect(copy.Tags).toEqual([{ Key: 'copy', Value: 'yes' }]);
      expect(await snapshot(copy.SnapshotId!, west)).toMatchObject({
        State: 'pending',
        VolumeSize: 9,
        Encrypted: true,
        KmsKeyId: 'arn:aws:kms:us-west-2:123456789012:alias/aws/ebs',
        Description: `[Copied ${src} from us-east-1]`,
      });
      // It lives in us-west-2 only.
      expect(
        (await awsError(t.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] })))).code,
      ).toBe('InvalidSnapshot.NotFound');
      const unknown = await awsError(
        west.send(new CopySnapshotCommand({ SourceRegion: 'mars-1', SourceSnapshotId: src })),
      );
      expect(unknown.code).toBe('InvalidParameterValue');
    } finally {
      west.destroy();
    }
  });

  it('shares through createVolumePermission; owners and restorable-by select', async () => {
    const id = (await t.ec2.send(new CreateSnapshotCommand({ VolumeId: await volume() }))).SnapshotId!;
    const perms = async () =>
      (
        await t.ec2.send(
          new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }),
        )
      ).CreateVolumePermissions;
    expect(await perms()).toEqual([]);
    await t.ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: id,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ UserId: '111122223333' }, { Group: 'all' }] },
      }),
    );
    expect(await perms()).toEqual([{ Group: 'all' }, { UserId: '111122223333' }]);
    const bad = await awsError(
      t.ec2.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: id,
          CreateVolumePermission: { Add: [{ UserId: 'nobody' }] },
        }),
      ),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    await t.ec2.send(
      new ModifySnapshotAttributeCommand({ SnapshotId: id, OperationType: 'remove', GroupNames: ['all'] }),
    );
    expect(await perms()).toEqual([{ UserId: '111122223333' }]);
    const sel = async (o: { OwnerIds?: string[]; RestorableByUserIds?: string[] }) =>
      (await t.ec2.send(new DescribeSnapshotsCommand(o))).Snapshots!.map((s) => s.SnapshotId);
    expect(await sel({ OwnerIds: ['self'] })).toContain(id);
    expect(await sel({ OwnerIds: ['amazon'] })).toEqual([]);
    expect(await sel({ RestorableByUserIds: ['111122223333'] })).toEqual([id]);
    expect(await sel({ RestorableByUserIds: ['all'] })).toEqual([]);
    await t.ec2.send(
      new ResetSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }),
    );
    expect(await perms()).toEqual([]);
    const attr = await awsError(
      t.ec2.send(
        new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'nope' as 'productCodes' }),
      ),
    );
    expect(attr.code).toBe('InvalidParameterValue');
  });
});

describe('AMIs from instances', () => {
  it('CreateImage snapshots the volumes; the AMI and snapshots complete together; the snapshot is kept while used', async () => {
    const i = await running();
    const ImageId = (
      await t.ec2.send(
        new CreateImageCommand({
          InstanceId: i.InstanceId,
          Name: 'golden-1',
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30 } },
            { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 50, VolumeType: 'gp3' } },
          ],
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'ami', Value: 'golden' }] }],
        }),
      )
    ).ImageId!;
    const image = async () =>
      (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId] }))).Images![0]!;
    const img = await image();
    expect(img.State).toBe('pending');
    expect(img.BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs?.VolumeSize])).toEqual([
      ['/dev/xvda', 30],
      ['/dev/sdf', 50],
    ]);
    const rootSnap = img.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    expect(img.BlockDeviceMappings![1]!.Ebs!.SnapshotId).toBeUndefined();
    expect(await snapshot(rootSnap)).toMatchObject({
      State: 'pending',
      Description: `Created by CreateImage(${i.InstanceId}) for ${ImageId}`,
      Tags: [{ Key: 'ami', Value: 'golden' }],
    });
    const shrink = await awsError(
      t.ec2.send(
        new CreateImageCommand({
          InstanceId: i.InstanceId,
          Name: 'golden-small',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 2 } }],
        }),
      ),
    );
    expect(shrink.code).toBe('InvalidParameterValue');
    t.emu.clock.advance(PENDING);
    expect((await image()).State).toBe('available');
    expect((await snapshot(rootSnap)).State).toBe('completed');

    // Launching from it gives the mapped root size.
    const child = (await t.ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 })))
      .Instances![0]!;
    const root = (
      await t.ec2.send(
        new DescribeVolumesCommand({
          Filters: [{ Name: 'attachment.instance-id', Values: [child.InstanceId!] }],
        }),
      )
    ).Volumes![0]!;
    expect(root).toMatchObject({ Size: 30, SnapshotId: rootSnap });

    const inUse = await awsError(t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: rootSnap })));
    expect(inUse).toMatchObject({
      code: 'InvalidSnapshot.InUse',
      message: `The snapshot ${rootSnap} is currently in use by ${ImageId}`,
    });
    expect((await snapshot(rootSnap)).SnapshotId).toBe(rootSnap);

    // DeregisterImage keeps the snapshots; then they can be deleted.
    expect((await t.ec2.send(new DeregisterImageCommand({ ImageId }))).Return).toBe(true);
    expect((await snapshot(rootSnap)).State).toBe('completed');
    await t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: rootSnap }));
  });

  it('DeregisterImage with DeleteAssociatedSnapshots deletes them too', async () => {
    const i = await running();
    const ImageId = (await t.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId, Name: 'golden-2' })))
      .ImageId!;
    t.emu.clock.advance(PENDING);
    const snap = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId] }))).Images![0]!
      .BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const out = await t.ec2.send(new DeregisterImageCommand({ ImageId, DeleteAssociatedSnapshots: true }));
    expect(out.DeleteSnapshotResults).toEqual([{ SnapshotId: snap, ReturnCode: 'success' }]);
    expect((await awsError(t.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] })))).code).toBe(
      'InvalidSnapshot.NotFound',
    );
  });

  it('CopyImage copies an image and its snapshots into another region, pending until the clock moves', async () => {
    const west = new EC2Client({
      endpoint: t.emu.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const i = await running();
      const src = (await t.ec2.send(new CreateImageCommand({ InstanceId: i.InstanceId, Name: 'to-copy' })))
        .ImageId!;
      const early = await awsError(
        west.send(new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: src, Name: 'copied' })),
      );
      expect(early.code).toBe('IncorrectState');
      t.emu.clock.advance(PENDING);
      const { ImageId } = await west.send(
        new CopyImageCommand({
          SourceRegion: 'us-east-1',
          SourceImageId: src,
          Name: 'copied',
          Encrypted: true,
        }),
      );
      const copy = (await west.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
      expect(copy).toMatchObject({
        State: 'pending',
        Name: 'copied',
        SourceImageId: src,
        SourceImageRegion: 'us-east-1',
      });
      const snap = copy.BlockDeviceMappings![0]!.Ebs!;
      expect(snap.Encrypted).toBe(true);
      expect(await snapshot(snap.SnapshotId!, west)).toMatchObject({ State: 'pending', Encrypted: true });
      t.emu.clock.advance(PENDING);
      expect((await west.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State).toBe(
        'available',
      );
      const dup = await awsError(
        west.send(new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: src, Name: 'copied' })),
      );
      expect(dup.code).toBe('InvalidAMIName.Duplicate');
      // A public Amazon image can be copied too.
      await west.send(
        new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: AL2023, Name: 'my-al2023' }),
      );
    } finally {
      west.destroy();
    }
  });
});
