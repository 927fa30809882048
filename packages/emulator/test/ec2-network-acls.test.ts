import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const acl = async (id: string) =>
  (await t.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [id] }))).NetworkAcls![0]!;

describe('network ACLs', () => {
  it('every VPC has a default ACL with its default entries, and its subnets use it', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.60.1.0/24' }))).Subnet!
      .SubnetId!;
    const { NetworkAcls } = await t.ec2.send(
      new DescribeNetworkAclsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [VpcId] },
          { Name: 'default', Values: ['true'] },
        ],
      }),
    );
    expect(NetworkAcls).toHaveLength(1);
    const d = NetworkAcls![0]!;
    expect(d).toMatchObject({
      NetworkAclId: expect.stringMatching(/^acl-[0-9a-f]{17}$/),
      IsDefault: true,
      VpcId,
    });
    expect(d.Entries).toEqual([
      { Egress: false, RuleNumber: 100, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      { Egress: false, RuleNumber: 32767, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      { Egress: true, RuleNumber: 100, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      { Egress: true, RuleNumber: 32767, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
    ]);
    expect(d.Associations).toEqual([
      {
        NetworkAclAssociationId: expect.stringMatching(/^aclassoc-/),
        NetworkAclId: d.NetworkAclId,
        SubnetId,
      },
    ]);
    expect(
      (await awsError(t.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: d.NetworkAclId })))).code,
    ).toBe('InvalidParameterValue');
  });

  it('manages entries: create, duplicate, replace, delete, with AWS errors', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.61.0.0/16' }))).Vpc!.VpcId!;
    const id = (await t.ec2.send(new CreateNetworkAclCommand({ VpcId }))).NetworkAcl!.NetworkAclId!;
    expect((await acl(id)).Entries!.map((e) => [e.Egress, e.RuleNumber, e.RuleAction])).toEqual([
      [false, 32767, 'deny'],
      [true, 32767, 'deny'],
    ]);
    const https = {
      NetworkAclId: id,
      RuleNumber: 110,
      Protocol: 'tcp',
      RuleAction: 'allow' as const,
      Egress: false,
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 443, To: 443 },
    };
    await t.ec2.send(new CreateNetworkAclEntryCommand(https));
    expect((await awsError(t.ec2.send(new CreateNetworkAclEntryCommand(https)))).code).toBe(
      'NetworkAclEntryAlreadyExists',
    );
    const noPorts = await awsError(
      t.ec2.send(new CreateNetworkAclEntryCommand({ ...https, RuleNumber: 111, PortRange: undefined })),
    );
    expect(noPorts.code).toBe('MissingParameter');
    const range = await awsError(
      t.ec2.send(new CreateNetworkAclEntryCommand({ ...https, RuleNumber: 40000 })),
    );
    expect(range.code).toBe('InvalidParameterValue');
    // The same number in the other direction is another rule.
    await t.ec2.send(new CreateNetworkAclEntryCommand({ ...https, Egress: true }));
    await t.ec2.send(new ReplaceNetworkAclEntryCommand({ ...https, RuleAction: 'deny' }));
    const entries = (await acl(id)).Entries!;
    expect(entries.find((e) => !e.Egress && e.RuleNumber === 110)).toEqual({
      Egress: false,
      RuleNumber: 110,
      RuleAction: 'deny',
      Protocol: '6',
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 443, To: 443 },
    });
    const replaceMissing = await awsError(
      t.ec2.send(new ReplaceNetworkAclEntryCommand({ ...https, RuleNumber: 120 })),
    );
    expect(replaceMissing.code).toBe('InvalidNetworkAclEntry.NotFound');
    await t.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 110, Egress: false }));
    expect((await acl(id)).Entries).toHaveLength(3);
    const star = await awsError(
      t.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 32767, Egress: false })),
    );
    expect(star.code).toBe('InvalidParameterValue');
    const byRule = await t.ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'entry.rule-number', Values: ['110'] }] }),
    );
    expect(byRule.NetworkAcls!.map((a) => a.NetworkAclId)).toEqual([id]);
  });

  it('moves a subnet between ACLs and guards deletion of ACLs and VPCs', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.62.0.0/16' }))).Vpc!.VpcId!;
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.62.1.0/24' }))).Subnet!
      .SubnetId!;
    const custom = (await t.ec2.send(new CreateNetworkAclCommand({ VpcId }))).NetworkAcl!.NetworkAclId!;
    const current = (
      await t.ec2.send(
        new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [SubnetId] }] }),
      )
    ).NetworkAcls![0]!;
    const assoc = current.Associations!.find((a) => a.SubnetId === SubnetId)!.NetworkAclAssociationId!;
    const { NewAssociationId } = await t.ec2.send(
      new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: custom }),
    );
    expect((await acl(custom)).Associations).toEqual([
      { NetworkAclAssociationId: NewAssociationId, NetworkAclId: custom, SubnetId },
    ]);
    expect((await acl(current.NetworkAclId!)).Associations).toEqual([]);
    const stale = await awsError(
      t.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: custom })),
    );
    expect(stale.code).toBe('InvalidAssociationID.NotFound');
    expect((await awsError(t.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: custom })))).code).toBe(
      'DependencyViolation',
    );
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId }));
    expect((await acl(custom)).Associations).toEqual([]);
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })))).code).toBe('DependencyViolation');
    await t.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: custom }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId }));
    // The default ACL went with its VPC.
    const left = await t.ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }),
    );
    expect(left.NetworkAcls).toEqual([]);
    expect(
      (
        await awsError(
          t.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0123456789abcdef0'] })),
        )
      ).code,
    ).toBe('InvalidNetworkAclID.NotFound');
  });
});
