import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });

const group = async (GroupId: string) =>
  (await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId] }))).SecurityGroups![0]!;

describe('security groups', () => {
  it('has a default group in the default VPC', async () => {
    const vpc = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const d = await t.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: ['default'] },
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
        ],
      }),
    );
    expect(d.SecurityGroups).toHaveLength(1);
    const g = d.SecurityGroups![0]!;
    expect(g.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(g.IpPermissionsEgress![0]).toMatchObject({
      IpProtocol: '-1',
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
    });
    expect(g.IpPermissions![0]!.UserIdGroupPairs![0]!.GroupId).toBe(g.GroupId);
    const cannot = await awsError(t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })));
    expect(cannot.code).toBe('CannotDelete');
  });

  it('creates, refuses duplicates, and describes by name and id', async () => {
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web servers' }),
    );
    expect(GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    const dup = await awsError(
      t.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })),
    );
    expect(dup.code).toBe('InvalidGroup.Duplicate');
    const byName = await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['web'] }));
    expect(byName.SecurityGroups![0]).toMatchObject({
      GroupId,
      Description: 'web servers',
      OwnerId: '123456789012',
    });
    const nf = await awsError(
      t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })),
    );
    expect(nf).toMatchObject({
      code: 'InvalidGroup.NotFound',
      message: "The security group 'sg-0123456789abcdef0' does not exist",
    });
    expect(
      (await awsError(t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-zz'] })))).code,
    ).toBe('InvalidGroupId.Malformed');
  });

  it('authorizes and revokes ingress with IpPermissions and the legacy flat parameters', async () => {
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'ssh', Description: 'ssh' }),
    );
    const auth = await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.168.0.0/16' }],
          },
        ],
      }),
    );
    expect(auth.Return).toBe(true);
    expect(auth.SecurityGroupRules).toHaveLength(2);
    expect(auth.SecurityGroupRules![0]!.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIp: '0.0.0.0/0',
      }),
    );
    const g = await group(GroupId!);
    expect(g.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.168.0.0/16' }],
      }),
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      }),
    ]);
    const dup = await awsError(
      t.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId,
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIp: '0.0.0.0/0',
        }),
      ),
    );
    expect(dup.code).toBe('InvalidPermission.Duplicate');
    const byCidr = await t.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'ip-permission.cidr', Values: ['192.168.0.0/16'] }],
      }),
    );
    expect(byCidr.SecurityGroups!.map((x) => x.GroupId)).toEqual([GroupId]);
    await t.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    expect((await group(GroupId!)).IpPermissions![0]!.IpRanges).toEqual([{ CidrIp: '192.168.0.0/16' }]);
    const missing = await awsError(
      t.ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId,
          IpProtocol: 'udp',
          FromPort: 53,
          ToPort: 53,
          CidrIp: '1.1.1.1/32',
        }),
      ),
    );
    expect(missing.code).toBe('InvalidPermission.NotFound');
    const rules = await t.ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }),
    );
    expect(
      rules
        .SecurityGroupRules!.filter((r) => !r.IsEgress)
        .map((r) => r.CidrIpv4)
        .sort(),
    ).toEqual(['0.0.0.0/0', '192.168.0.0/16']);
  });

  it('authorizes and revokes egress, group references included', async () => {
    const { GroupId: a } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'egress-a', Description: 'a' }),
    );
    const { GroupId: b } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'egress-b', Description: 'b' }),
    );
    await t.ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: a,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    expect((await group(a!)).IpPermissionsEgress).toEqual([]);
    await t.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: a,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: b }] },
        ],
      }),
    );
    expect((await group(a!)).IpPermissionsEgress![0]!.UserIdGroupPairs![0]!.GroupId).toBe(b);
    // A group another group's rule names is a dependency: DependencyViolation, and b stays.
    const inUse = await awsError(t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: b })));
    expect(inUse.code).toBe('DependencyViolation');
    expect((await group(b!)).GroupId).toBe(b);
    const dry = await awsError(t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: a, DryRun: true })));
    expect(dry.code).toBe('DryRunOperation');
    await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: a }));
    await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: b }));
    expect((await awsError(t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: b })))).code).toBe(
      'InvalidGroup.NotFound',
    );
  });

  it('refuses to delete a group an instance uses (DependencyViolation) until it is terminated', async () => {
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }),
    );
    const r = await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1, SecurityGroupIds: [GroupId!] }),
    );
    expect(r.Instances![0]!.SecurityGroups).toEqual([{ GroupId, GroupName: 'app' }]);
    const e = await awsError(t.ec2.send(new DeleteSecurityGroupCommand({ GroupId })));
    expect(e.code).toBe('DependencyViolation');
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [r.Instances![0]!.InstanceId!] }));
    t.emu.clock.advance(1_000);
    const ok = await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    expect(ok.Return).toBe(true);
  });
});
