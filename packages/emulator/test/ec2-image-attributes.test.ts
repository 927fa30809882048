import {
  CreateImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  ModifyImageAttributeCommand,
  ResetImageAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000 });
let ami = '';

beforeAll(async () => {
  const i = (await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 })))
    .Instances![0]!;
  t.emu.clock.advance(1_000);
  ami = (
    await t.ec2.send(
      new CreateImageCommand({ InstanceId: i.InstanceId, Name: 'attr-image', Description: 'v1' }),
    )
  ).ImageId!;
});

const attr = (Attribute: string, ImageId = ami) =>
  t.ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: Attribute as 'description' }));

describe('image attributes', () => {
  it('describes and modifies the description and launch permissions; reset makes the image private', async () => {
    expect((await attr('description')).Description).toEqual({ Value: 'v1' });
    await t.ec2.send(new ModifyImageAttributeCommand({ ImageId: ami, Description: { Value: 'v2' } }));
    expect((await attr('description')).Description).toEqual({ Value: 'v2' });
    expect((await attr('launchPermission')).LaunchPermissions).toEqual([]);
    await t.ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: ami,
        LaunchPermission: { Add: [{ UserId: '111122223333' }, { Group: 'all' }] },
      }),
    );
    expect((await attr('launchPermission')).LaunchPermissions).toEqual([
      { Group: 'all' },
      { UserId: '111122223333' },
    ]);
    const image = async () => (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!;
    expect((await image()).Public).toBe(true);
    await t.ec2.send(
      new ModifyImageAttributeCommand({ ImageId: ami, OperationType: 'remove', UserIds: ['111122223333'] }),
    );
    expect((await attr('launchPermission')).LaunchPermissions).toEqual([{ Group: 'all' }]);
    await t.ec2.send(new ResetImageAttributeCommand({ ImageId: ami, Attribute: 'launchPermission' }));
    expect((await attr('launchPermission')).LaunchPermissions).toEqual([]);
    expect((await image()).Public).toBe(false);
    expect((await attr('blockDeviceMapping')).BlockDeviceMappings![0]!.DeviceName).toBe('/dev/xvda');
  });

  it("refuses bad values and others' images, changing nothing", async () => {
    const bad = await awsError(
      t.ec2.send(
        new ModifyImageAttributeCommand({ ImageId: ami, LaunchPermission: { Add: [{ UserId: 'someone' }] } }),
      ),
    );
    expect(bad.code).toBe('InvalidAMIAttributeItemValue');
    expect((await attr('launchPermission')).LaunchPermissions).toEqual([]);
    const notMine = await awsError(
      t.ec2.send(new ModifyImageAttributeCommand({ ImageId: AL2023, Description: { Value: 'x' } })),
    );
    expect(notMine.code).toBe('AuthFailure');
    expect((await attr('description', AL2023)).Description!.Value).toContain('Amazon Linux 2023');
    const unknown = await awsError(attr('colour'));
    expect(unknown.code).toBe('InvalidParameterValue');
    const dry = await awsError(
      t.ec2.send(
        new ModifyImageAttributeCommand({ ImageId: ami, Description: { Value: 'dry' }, DryRun: true }),
      ),
    );
    expect(dry.code).toBe('DryRunOperation');
    expect((await attr('description')).Description).toEqual({ Value: 'v2' });
    expect((await awsError(attr('description', 'ami-0123456789abcdef0'))).code).toBe('InvalidAMIID.NotFound');
  });
});
