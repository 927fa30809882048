import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });
const ARN = 'arn:aws:iam::123456789012:instance-profile/app/web-role';

const instance = async (id: string) =>
  (await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

const associations = async (instanceId: string) =>
  (
    await t.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({
        Filters: [{ Name: 'instance-id', Values: [instanceId] }],
      }),
    )
  ).IamInstanceProfileAssociations!;

describe('IAM instance profile associations', () => {
  it('RunInstances with a profile makes an association; it goes with the instance', async () => {
    const run = await t.ec2.send(
      new RunInstancesCommand({
        ImageId: AL2023,
        MinCount: 1,
        MaxCount: 1,
        IamInstanceProfile: { Name: 'web-role' },
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const profile = run.Instances![0]!.IamInstanceProfile!;
    expect(profile.Arn).toBe('arn:aws:iam::123456789012:instance-profile/web-role');
    expect(profile.Id).toMatch(/^AIPA[0-9A-Z]{17}$/);
    const [a] = await associations(id);
    expect(a).toMatchObject({
      AssociationId: expect.stringMatching(/^iip-assoc-[0-9a-f]{17}$/),
      InstanceId: id,
      State: 'associated',
      IamInstanceProfile: profile,
    });
    const byProfile = await t.ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'iam-instance-profile.arn', Values: [profile.Arn!] }],
      }),
    );
    expect(byProfile.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([id]);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    t.emu.clock.advance(1_000);
    expect(await associations(id)).toEqual([]);
  });

  it('associates, refuses a second, replaces and disassociates', async () => {
    const id = (await t.ec2.send(new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1 })))
      .Instances![0]!.InstanceId!;
    const bad = await awsError(
      t.ec2.send(
        new AssociateIamInstanceProfileCommand({
          InstanceId: id,
          IamInstanceProfile: { Arn: 'arn:aws:s3:::x' },
        }),
      ),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    expect(await associations(id)).toEqual([]);
    const first = await t.ec2.send(
      new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Arn: ARN } }),
    );
    expect(first.IamInstanceProfileAssociation).toMatchObject({
      InstanceId: id,
      State: 'associating',
      IamInstanceProfile: { Arn: ARN },
    });
    expect((await instance(id)).IamInstanceProfile!.Arn).toBe(ARN);
    const second = await awsError(
      t.ec2.send(
        new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'other' } }),
      ),
    );
    expect(second).toMatchObject({
      code: 'IncorrectState',
      message: `There is an existing association for instance ${id}`,
    });

    const replaced = await t.ec2.send(
      new ReplaceIamInstanceProfileAssociationCommand({
        AssociationId: first.IamInstanceProfileAssociation!.AssociationId,
        IamInstanceProfile: { Name: 'other' },
      }),
    );
    const next = replaced.IamInstanceProfileAssociation!;
    expect(next.AssociationId).not.toBe(first.IamInstanceProfileAssociation!.AssociationId);
    expect(next.IamInstanceProfile!.Arn).toBe('arn:aws:iam::123456789012:instance-profile/other');
    expect((await instance(id)).IamInstanceProfile!.Arn).toBe(next.IamInstanceProfile!.Arn);
    const gone = await awsError(
      t.ec2.send(
        new DescribeIamInstanceProfileAssociationsCommand({
          AssociationIds: [first.IamInstanceProfileAssociation!.AssociationId!],
        }),
      ),
    );
    expect(gone.code).toBe('InvalidAssociationID.NotFound');

    const out = await t.ec2.send(
      new DisassociateIamInstanceProfileCommand({ AssociationId: next.AssociationId }),
    );
    expect(out.IamInstanceProfileAssociation!.State).toBe('disassociating');
    expect(await associations(id)).toEqual([]);
    expect((await instance(id)).IamInstanceProfile).toBeUndefined();
    expect(
      (
        await awsError(
          t.ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: next.AssociationId })),
        )
      ).code,
    ).toBe('InvalidAssociationID.NotFound');
  });
});
