import {
  AssociateVpcCidrBlockCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const defaultsOf = async (VpcId: string) => {
  const filters = [{ Name: 'vpc-id', Values: [VpcId] }];
  return {
    tables: (await t.ec2.send(new DescribeRouteTablesCommand({ Filters: filters }))).RouteTables!,
    acls: (await t.ec2.send(new DescribeNetworkAclsCommand({ Filters: filters }))).NetworkAcls!,
    groups: (await t.ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters }))).SecurityGroups!,
  };
};

describe('VPCs', () => {
  it('CreateVpc makes the main route table, default ACL and default group; DeleteVpc removes them', async () => {
    const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.110.0.0/16' }));
    expect(Vpc).toMatchObject({
      State: 'pending',
      IsDefault: false,
      BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    });
    const VpcId = Vpc!.VpcId!;
    const made = await defaultsOf(VpcId);
    expect(made.tables.map((x) => x.Associations![0]!.Main)).toEqual([true]);
    expect(made.acls.map((x) => x.IsDefault)).toEqual([true]);
    expect(made.groups.map((x) => x.GroupName)).toEqual(['default']);
    await t.ec2.send(new DeleteVpcCommand({ VpcId }));
    expect(await defaultsOf(VpcId)).toEqual({ tables: [], acls: [], groups: [] });
  });

  it('DescribeVpcAttribute and ModifyVpcAttribute, one attribute at a time', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.111.0.0/16' }))).Vpc!.VpcId!;
    const read = async (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') =>
      t.ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute }));
    expect(await read('enableDnsSupport')).toMatchObject({ VpcId, EnableDnsSupport: { Value: true } });
    expect(await read('enableDnsHostnames')).toMatchObject({ VpcId, EnableDnsHostnames: { Value: false } });
    await t.ec2.send(new ModifyVpcAttributeCommand({ VpcId, EnableDnsHostnames: { Value: true } }));
    expect((await read('enableDnsHostnames')).EnableDnsHostnames).toEqual({ Value: true });
    const both = await awsError(
      t.ec2.send(
        new ModifyVpcAttributeCommand({
          VpcId,
          EnableDnsHostnames: { Value: false },
          EnableDnsSupport: { Value: false },
        }),
      ),
    );
    expect(both.code).toBe('InvalidParameterCombination');
    expect((await read('enableDnsHostnames')).EnableDnsHostnames).toEqual({ Value: true });
    const noSupport = await awsError(
      t.ec2.send(new ModifyVpcAttributeCommand({ VpcId, EnableDnsSupport: { Value: false } })),
    );
    expect(noSupport.code).toBe('InvalidParameterCombination');
    // The default VPC resolves public hostnames.
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const defHostnames = await t.ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: def.VpcId, Attribute: 'enableDnsHostnames' }),
    );
    expect(defHostnames.EnableDnsHostnames).toEqual({ Value: true });
  });

  it('associates and disassociates secondary and IPv6 blocks', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.112.0.0/16' }))).Vpc!.VpcId!;
    const second = await t.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, CidrBlock: '10.113.0.0/16' }));
    expect(second.CidrBlockAssociation).toMatchObject({
      CidrBlock: '10.113.0.0/16',
      CidrBlockState: { State: 'associating' },
    });
    const overlap = await awsError(
      t.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, CidrBlock: '10.113.128.0/17' })),
    );
    expect(overlap.code).toBe('InvalidVpc.Range');
    const v6 = await t.ec2.send(
      new AssociateVpcCidrBlockCommand({ VpcId, AmazonProvidedIpv6CidrBlock: true }),
    );
    expect(v6.Ipv6CidrBlockAssociation!.Ipv6CidrBlock).toMatch(/::\/56$/);
    const vpc = (await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] }))).Vpcs![0]!;
    expect(vpc.CidrBlockAssociationSet!.map((b) => b.CidrBlock)).toEqual(['10.112.0.0/16', '10.113.0.0/16']);
    expect(vpc.Ipv6CidrBlockAssociationSet).toHaveLength(1);

    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.113.1.0/24' })))
      .Subnet!.SubnetId!;
    const inUse = await awsError(
      t.ec2.send(
        new DisassociateVpcCidrBlockCommand({ AssociationId: second.CidrBlockAssociation!.AssociationId }),
      ),
    );
    expect(inUse.code).toBe('InvalidCidrBlock.InUse');
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId }));
    await t.ec2.send(
      new DisassociateVpcCidrBlockCommand({ AssociationId: second.CidrBlockAssociation!.AssociationId }),
    );
    const primary = await awsError(
      t.ec2.send(
        new DisassociateVpcCidrBlockCommand({
          AssociationId: vpc.CidrBlockAssociationSet![0]!.AssociationId,
        }),
      ),
    );
    expect(primary.code).toBe('InvalidParameterValue');
    expect(
      (await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] }))).Vpcs![0]!.CidrBlockAssociationSet!.map(
        (b) => b.CidrBlock,
      ),
    ).toEqual(['10.112.0.0/16']);
  });

  it('DeleteVpc answers DependencyViolation while subnets or non-default groups remain', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.114.0.0/16' }))).Vpc!.VpcId!;
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.114.1.0/24' })))
      .Subnet!.SubnetId!;
    const GroupId = (
      await t.ec2.send(new CreateSecurityGroupCommand({ VpcId, GroupName: 'app', Description: 'app' }))
    ).GroupId!;
    const err = await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })));
    expect(err).toMatchObject({
      code: 'DependencyViolation',
      message: `The vpc '${VpcId}' has dependencies and cannot be deleted.`,
    });
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId }));
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })))).code).toBe('DependencyViolation');
    await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId }));
    expect((await awsError(t.ec2.send(new DescribeVpcsCommand({ VpcIds: [VpcId] })))).code).toBe(
      'InvalidVpcID.NotFound',
    );
  });
});
