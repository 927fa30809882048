import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  GetLaunchTemplateDataCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000 });

const UBUNTU = 'ami-0e2c8caa4b6378d8c';

const template = async (name: string, data = {}) =>
  (
    await t.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: name,
        VersionDescription: 'first',
        LaunchTemplateData: { ImageId: AL2023, InstanceType: 't3.micro', ...data },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'web' }] }],
      }),
    )
  ).LaunchTemplate!;

const versions = async (id: string, Versions?: string[]) =>
  (await t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions })))
    .LaunchTemplateVersions!;

describe('launch templates', () => {
  it('creates a template, numbers its versions and moves the default', async () => {
    const lt = await template('web-lt');
    expect(lt).toMatchObject({
      LaunchTemplateId: expect.stringMatching(/^lt-[0-9a-f]{17}$/),
      LaunchTemplateName: 'web-lt',
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      CreatedBy: 'arn:aws:iam::123456789012:root',
      Tags: [{ Key: 'team', Value: 'web' }],
    });
    const id = lt.LaunchTemplateId!;
    const v2 = await t.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        SourceVersion: '1',
        VersionDescription: 'bigger',
        LaunchTemplateData: { InstanceType: 'm5.large' },
      }),
    );
    // SourceVersion: version 1's data with the given members over it.
    expect(v2.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 2,
      DefaultVersion: false,
      VersionDescription: 'bigger',
      LaunchTemplateData: { ImageId: AL2023, InstanceType: 'm5.large' },
    });
    const v3 = await t.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: 'web-lt',
        LaunchTemplateData: { ImageId: UBUNTU },
      }),
    );
    // Without SourceVersion the new version holds only what it was given.
    expect(v3.LaunchTemplateVersion!.LaunchTemplateData).toEqual({ ImageId: UBUNTU });

    expect((await versions(id)).map((v) => v.VersionNumber)).toEqual([3, 2, 1]);
    expect((await versions(id, ['$Latest'])).map((v) => v.VersionNumber)).toEqual([3]);
    expect((await versions(id, ['$Default'])).map((v) => v.VersionNumber)).toEqual([1]);
    const filtered = await t.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: id,
        Filters: [{ Name: 'instance-type', Values: ['m5.large'] }],
      }),
    );
    expect(filtered.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([2]);
    const ranged = await t.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, MinVersion: '2', MaxVersion: '3' }),
    );
    expect(ranged.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([3, 2]);

    const modified = await t.ec2.send(
      new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' }),
    );
    expect(modified.LaunchTemplate).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 3 });
    const missing = await awsError(
      t.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '9' })),
    );
    expect(missing.code).toBe('InvalidLaunchTemplateId.VersionNotFound');
    expect((await versions(id, ['$Default']))[0]!.VersionNumber).toBe(2);

    const del = await t.ec2.send(
      new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['1', '2', '7'] }),
    );
    expect(del.SuccessfullyDeletedLaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([1]);
    expect(
      del.UnsuccessfullyDeletedLaunchTemplateVersions!.map((v) => [v.VersionNumber, v.ResponseError!.Code]),
    ).toEqual([
      [2, 'unexpectedError'],
      [7, 'launchTemplateVersionDoesNotExist'],
    ]);
    expect((await versions(id)).map((v) => v.VersionNumber)).toEqual([3, 2]);
  });

  it('refuses a duplicate or malformed name and unknown templates, creating nothing', async () => {
    await template('dup-lt');
    const dup = await awsError(
      t.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'dup-lt',
          LaunchTemplateData: { ImageId: AL2023 },
        }),
      ),
    );
    expect(dup.code).toBe('InvalidLaunchTemplateName.AlreadyExistsException');
    const bad = await awsError(
      t.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'a b',
          LaunchTemplateData: { ImageId: AL2023 },
        }),
      ),
    );
    expect(bad.code).toBe('InvalidLaunchTemplateName.MalformedException');
    const dry = await awsError(
      t.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'dry-lt',
          LaunchTemplateData: { ImageId: AL2023 },
          DryRun: true,
        }),
      ),
    );
    expect(dry.code).toBe('DryRunOperation');
    const byName = await awsError(
      t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['dry-lt'] })),
    );
    expect(byName).toMatchObject({
      code: 'InvalidLaunchTemplateName.NotFoundException',
      message: 'The specified launch template, with template name dry-lt, does not exist.',
    });
    const byId = await awsError(
      t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] })),
    );
    expect(byId.code).toBe('InvalidLaunchTemplateId.NotFound');
    const malformed = await awsError(
      t.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: 'lt-nope' })),
    );
    expect(malformed.code).toBe('InvalidLaunchTemplateId.Malformed');
    const all = await t.ec2.send(
      new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: ['dup-*'] }] }),
    );
    expect(all.LaunchTemplates!.map((l) => l.LaunchTemplateName)).toEqual(['dup-lt']);
    const byTag = await t.ec2.send(
      new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:team', Values: ['web'] }] }),
    );
    expect(byTag.LaunchTemplates!.length).toBeGreaterThanOrEqual(1);
    const deleted = await t.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'dup-lt' }));
    expect(deleted.LaunchTemplate!.LaunchTemplateName).toBe('dup-lt');
    expect(
      (await awsError(t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['dup-lt'] }))))
        .code,
    ).toBe('InvalidLaunchTemplateName.NotFoundException');
  });

  it('RunInstances merges the template with the call and tags the instance with the template it came from', async () => {
    const vpcId = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!.VpcId!;
    const sg = (
      await t.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lt-sg', Description: 'x', VpcId: vpcId }))
    ).GroupId!;
    const lt = await template('merge-lt', {
      KeyName: undefined,
      SecurityGroupIds: [sg],
      DisableApiTermination: true,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3' } }],
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'Name', Value: 'from-template' },
            { Key: 'tier', Value: 'web' },
          ],
        },
      ],
    });
    await t.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: lt.LaunchTemplateId,
        SourceVersion: '$Latest',
        LaunchTemplateData: { InstanceType: 'm5.large' },
      }),
    );
    const ran = await t.ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateName: 'merge-lt', Version: '$Latest' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'from-call' }] }],
      }),
    );
    const i = ran.Instances![0]!;
    expect(i).toMatchObject({
      ImageId: AL2023,
      InstanceType: 'm5.large',
      SecurityGroups: [{ GroupId: sg, GroupName: 'lt-sg' }],
    });
    const tags = Object.fromEntries(i.Tags!.map((x) => [x.Key, x.Value]));
    expect(tags).toEqual({
      Name: 'from-call',
      tier: 'web',
      'aws:ec2launchtemplate:id': lt.LaunchTemplateId,
      'aws:ec2launchtemplate:version': '2',
    });
    const root = (
      await t.ec2.send(
        new DescribeVolumesCommand({
          Filters: [{ Name: 'attachment.instance-id', Values: [i.InstanceId!] }],
        }),
      )
    ).Volumes![0]!;
    expect(root.Size).toBe(20);

    // The call overrides the template; the default version (1) is t3.micro.
    const ranDefault = await t.ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        ImageId: UBUNTU,
        LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId },
      }),
    );
    expect(ranDefault.Instances![0]).toMatchObject({ ImageId: UBUNTU, InstanceType: 't3.micro' });
    const byTag = await t.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'tag:aws:ec2launchtemplate:id', Values: [lt.LaunchTemplateId!] }],
      }),
    );
    expect(byTag.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(2);

    const unknown = await awsError(
      t.ec2.send(
        new RunInstancesCommand({
          MinCount: 1,
          MaxCount: 1,
          LaunchTemplate: { LaunchTemplateName: 'merge-lt', Version: '5' },
        }),
      ),
    );
    expect(unknown.code).toBe('InvalidLaunchTemplateId.VersionNotFound');

    // GetLaunchTemplateData reads the launch parameters back from the instance.
    const data = (await t.ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: i.InstanceId })))
      .LaunchTemplateData!;
    expect(data).toMatchObject({
      ImageId: AL2023,
      InstanceType: 'm5.large',
      DisableApiTermination: true,
      Placement: { AvailabilityZone: i.Placement!.AvailabilityZone },
      TagSpecifications: [
        { ResourceType: 'instance', Tags: expect.arrayContaining([{ Key: 'tier', Value: 'web' }]) },
      ],
    });
    expect(data.NetworkInterfaces![0]).toMatchObject({ DeviceIndex: 0, Groups: [sg] });
    expect(JSON.stringify(data.TagSpecifications)).not.toContain('aws:ec2launchtemplate');
  });

  it('describes the $Latest and $Default versions of every template when none is named', async () => {
    const a = await template('all-a');
    const b = await template('all-b');
    const out = await t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'] }));
    const ids = out.LaunchTemplateVersions!.map((v) => v.LaunchTemplateId);
    expect(ids).toEqual(expect.arrayContaining([a.LaunchTemplateId, b.LaunchTemplateId]));
    const none = await awsError(t.ec2.send(new DescribeLaunchTemplateVersionsCommand({})));
    expect(none.code).toBe('MissingParameter');
  });
});
