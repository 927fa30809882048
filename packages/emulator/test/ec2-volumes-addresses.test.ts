import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000, shuttingDown: 1_000 });

async function runningInstance(zone = 'us-east-1a') {
  const r = await t.ec2.send(
    new RunInstancesCommand({
      ImageId: AL2023,
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: zone },
    }),
  );
  t.emu.clock.advance(1_000);
  return r.Instances![0]!;
}

const volume = async (id: string) =>
  (await t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;

describe('volumes', () => {
  it('creates, attaches in the same zone, detaches and deletes', async () => {
    const inst = await runningInstance();
    const v = await t.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 20,
        VolumeType: 'gp3',
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'use', Value: 'data' }] }],
      }),
    );
    expect(v.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(v).toMatchObject({ Size: 20, VolumeType: 'gp3', Iops: 3000, State: 'creating' });
    expect((await volume(v.VolumeId!)).State).toBe('available');
    const att = await t.ec2.send(
      new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdf' }),
    );
    expect(att).toMatchObject({ State: 'attaching', Device: '/dev/sdf', InstanceId: inst.InstanceId });
    const attached = await volume(v.VolumeId!);
    expect(attached.State).toBe('in-use');
    expect(attached.Attachments![0]).toMatchObject({
      InstanceId: inst.InstanceId,
      State: 'attached',
      Device: '/dev/sdf',
    });
    const mappings = (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] })))
      .Reservations![0]!.Instances![0]!.BlockDeviceMappings!;
    expect(mappings.map((m) => m.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf']);
    const byInstance = await t.ec2.send(
      new DescribeVolumesCommand({
        Filters: [{ Name: 'attachment.instance-id', Values: [inst.InstanceId!] }],
      }),
    );
    expect(byInstance.Volumes).toHaveLength(2);
    const inUse = await awsError(t.ec2.send(new DeleteVolumeCommand({ VolumeId: v.VolumeId })));
    expect(inUse.code).toBe('VolumeInUse');
    const twice = await awsError(
      t.ec2.send(
        new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdg' }),
      ),
    );
    expect(twice.code).toBe('VolumeInUse');
    const det = await t.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId }));
    expect(det.State).toBe('detaching');
    expect((await volume(v.VolumeId!)).State).toBe('available');
    await t.ec2.send(new DeleteVolumeCommand({ VolumeId: v.VolumeId }));
    const nf = await awsError(t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] })));
    expect(nf).toMatchObject({
      code: 'InvalidVolume.NotFound',
      message: `The volume '${v.VolumeId}' does not exist.`,
    });
  });

  it('refuses another zone, unknown volumes and DryRun', async () => {
    const inst = await runningInstance('us-east-1b');
    const v = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    const zone = await awsError(
      t.ec2.send(
        new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdf' }),
      ),
    );
    expect(zone.code).toBe('InvalidVolume.ZoneMismatch');
    expect(
      (await awsError(t.ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0123456789abcdef0' })))).code,
    ).toBe('InvalidVolume.NotFound');
    expect((await awsError(t.ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-x' })))).code).toBe(
      'InvalidVolumeID.Malformed',
    );
    expect(
      (
        await awsError(
          t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, DryRun: true })),
        )
      ).code,
    ).toBe('DryRunOperation');
  });

  it('deletes the root volume with its instance', async () => {
    const inst = await runningInstance();
    const root = inst.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    expect((await volume(root)).Attachments![0]!.DeleteOnTermination).toBe(true);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    t.emu.clock.advance(1_000);
    expect((await awsError(t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [root] })))).code).toBe(
      'InvalidVolume.NotFound',
    );
  });
});

describe('Elastic IPs', () => {
  it('allocates, associates to an instance, disassociates and releases', async () => {
    const inst = await runningInstance();
    const a = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    expect(a.AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    expect(a.PublicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const { AssociationId } = await t.ec2.send(
      new AssociateAddressCommand({ AllocationId: a.AllocationId, InstanceId: inst.InstanceId }),
    );
    expect(AssociationId).toMatch(/^eipassoc-[0-9a-f]{17}$/);
    const described = await t.ec2.send(
      new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [inst.InstanceId!] }] }),
    );
    expect(described.Addresses).toEqual([
      expect.objectContaining({
        AllocationId: a.AllocationId,
        AssociationId,
        PublicIp: a.PublicIp,
        Domain: 'vpc',
        PrivateIpAddress: inst.PrivateIpAddress,
      }),
    ]);
    const i = (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst.InstanceId!] })))
      .Reservations![0]!.Instances![0]!;
    expect(i.PublicIpAddress).toBe(a.PublicIp);
    const inUse = await awsError(t.ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId })));
    expect(inUse.code).toBe('InvalidIPAddress.InUse');
    await t.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    expect((await awsError(t.ec2.send(new DisassociateAddressCommand({ AssociationId })))).code).toBe(
      'InvalidAssociationID.NotFound',
    );
    await t.ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId }));
    const gone = await awsError(
      t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [a.AllocationId!] })),
    );
    expect(gone.code).toBe('InvalidAllocationID.NotFound');
  });

  it('frees the address when its instance is terminated', async () => {
    const inst = await runningInstance();
    const a = await t.ec2.send(new AllocateAddressCommand({}));
    await t.ec2.send(
      new AssociateAddressCommand({ AllocationId: a.AllocationId, InstanceId: inst.InstanceId }),
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    t.emu.clock.advance(1_000);
    const d = await t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [a.AllocationId!] }));
    expect(d.Addresses![0]!.InstanceId).toBeUndefined();
    expect((await awsError(t.ec2.send(new AllocateAddressCommand({ DryRun: true })))).code).toBe(
      'DryRunOperation',
    );
  });
});
