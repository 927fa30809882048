import {
  CreateVolumeCommand,
  DescribeVolumeAttributeCommand,
  DescribeVolumeStatusCommand,
  ModifyVolumeAttributeCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('volume status and attributes', () => {
  it('reports ok with I/O enabled, filters, and keeps autoEnableIO', async () => {
    const id = (await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', Size: 8 })))
      .VolumeId!;
    const status = (await t.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [id] })))
      .VolumeStatuses![0];
    expect(status).toMatchObject({
      VolumeId: id,
      AvailabilityZone: 'us-east-1b',
      VolumeStatus: {
        Status: 'ok',
        Details: [
          { Name: 'io-enabled', Status: 'passed' },
          { Name: 'io-performance', Status: 'not-applicable' },
        ],
      },
      Events: [],
      Actions: [],
    });
    const inZone = await t.ec2.send(
      new DescribeVolumeStatusCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }),
    );
    expect(inZone.VolumeStatuses!.map((s) => s.VolumeId)).toEqual([id]);
    const impaired = await t.ec2.send(
      new DescribeVolumeStatusCommand({ Filters: [{ Name: 'volume-status.status', Values: ['impaired'] }] }),
    );
    expect(impaired.VolumeStatuses).toEqual([]);

    const attr = async () =>
      (await t.ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: id, Attribute: 'autoEnableIO' })))
        .AutoEnableIO;
    expect(await attr()).toEqual({ Value: false });
    await t.ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: id, AutoEnableIO: { Value: true } }));
    expect(await attr()).toEqual({ Value: true });
    const dry = await awsError(
      t.ec2.send(
        new ModifyVolumeAttributeCommand({ VolumeId: id, AutoEnableIO: { Value: false }, DryRun: true }),
      ),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect(await attr()).toEqual({ Value: true });
    const bad = await awsError(
      t.ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: id, Attribute: 'size' as 'autoEnableIO' })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    const missing = await awsError(
      t.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: ['vol-0123456789abcdef0'] })),
    );
    expect(missing.code).toBe('InvalidVolume.NotFound');
  });
});
