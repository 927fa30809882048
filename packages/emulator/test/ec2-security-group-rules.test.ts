import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  GetSecurityGroupsForVpcCommand,
  ModifySecurityGroupRulesCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('security-group rules by id', () => {
  it('modifies a rule in place, updates descriptions, and changes nothing when one update fails', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.180.0.0/16' }))).Vpc!.VpcId!;
    const GroupId = (
      await t.ec2.send(new CreateSecurityGroupCommand({ VpcId, GroupName: 'web', Description: 'web' }))
    ).GroupId!;
    const added = await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    const [http, https] = added.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId!);
    await t.ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: http,
            SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIpv4: '10.0.0.0/8' },
          },
        ],
      }),
    );
    const rule = async (id: string) =>
      (await t.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] })))
        .SecurityGroupRules![0]!;
    expect(await rule(http!)).toMatchObject({
      SecurityGroupRuleId: http,
      FromPort: 8080,
      ToPort: 8080,
      CidrIpv4: '10.0.0.0/8',
    });
    // The second update collides with the https rule: neither applies.
    const dup = await awsError(
      t.ec2.send(
        new ModifySecurityGroupRulesCommand({
          GroupId,
          SecurityGroupRules: [
            {
              SecurityGroupRuleId: https,
              SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 444, ToPort: 444, CidrIpv4: '0.0.0.0/0' },
            },
            {
              SecurityGroupRuleId: http,
              SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 444, ToPort: 444, CidrIpv4: '0.0.0.0/0' },
            },
          ],
        }),
      ),
    );
    expect(dup.code).toBe('InvalidPermission.Duplicate');
    expect((await rule(https!)).FromPort).toBe(443);
    const missing = await awsError(
      t.ec2.send(
        new ModifySecurityGroupRulesCommand({
          GroupId,
          SecurityGroupRules: [
            {
              SecurityGroupRuleId: 'sgr-0123456789abcdef0',
              SecurityGroupRule: { IpProtocol: '-1', CidrIpv4: '1.0.0.0/8' },
            },
          ],
        }),
      ),
    );
    expect(missing.code).toBe('InvalidSecurityGroupRuleId.NotFound');

    await t.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId,
        SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: https, Description: 'tls' }],
      }),
    );
    await t.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 8080,
            ToPort: 8080,
            IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'internal' }],
          },
        ],
      }),
    );
    expect((await rule(https!)).Description).toBe('tls');
    expect((await rule(http!)).Description).toBe('internal');
    const noSuch = await awsError(
      t.ec2.send(
        new UpdateSecurityGroupRuleDescriptionsIngressCommand({
          GroupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'x' }],
            },
          ],
        }),
      ),
    );
    expect(noSuch.code).toBe('InvalidPermission.NotFound');

    const forVpc = await t.ec2.send(new GetSecurityGroupsForVpcCommand({ VpcId }));
    expect(forVpc.SecurityGroupForVpcs!.map((g) => g.GroupName).sort()).toEqual(['default', 'web']);
  });
});
