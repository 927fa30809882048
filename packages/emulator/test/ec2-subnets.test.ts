import {
  AssociateSubnetCidrBlockCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  DisassociateSubnetCidrBlockCommand,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const subnet = async (id: string) =>
  (await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [id] }))).Subnets![0]!;

describe('subnets', () => {
  it('report the fields AWS reports, default subnets included', async () => {
    const def = (
      await t.ec2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
      )
    ).Subnets![0]!;
    expect(def).toMatchObject({
      Ipv6Native: false,
      EnableDns64: false,
      MapCustomerOwnedIpOnLaunch: false,
      PrivateDnsNameOptionsOnLaunch: {
        HostnameType: 'ip-name',
        EnableResourceNameDnsARecord: false,
        EnableResourceNameDnsAAAARecord: false,
      },
      BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
      AssignIpv6AddressOnCreation: false,
    });
  });

  it('modifies one attribute per call and refuses two', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.120.0.0/16' }))).Vpc!.VpcId!;
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.120.1.0/24' })))
      .Subnet!.SubnetId!;
    await t.ec2.send(new ModifySubnetAttributeCommand({ SubnetId, MapPublicIpOnLaunch: { Value: true } }));
    await t.ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId, PrivateDnsHostnameTypeOnLaunch: 'resource-name' }),
    );
    await t.ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId, EnableResourceNameDnsARecordOnLaunch: { Value: true } }),
    );
    expect(await subnet(SubnetId)).toMatchObject({
      MapPublicIpOnLaunch: true,
      PrivateDnsNameOptionsOnLaunch: { HostnameType: 'resource-name', EnableResourceNameDnsARecord: true },
    });
    const two = await awsError(
      t.ec2.send(
        new ModifySubnetAttributeCommand({
          SubnetId,
          MapPublicIpOnLaunch: { Value: false },
          EnableDns64: { Value: true },
        }),
      ),
    );
    expect(two.code).toBe('InvalidParameterCombination');
    expect(await subnet(SubnetId)).toMatchObject({ MapPublicIpOnLaunch: true, EnableDns64: false });
    const noV6 = await awsError(
      t.ec2.send(
        new ModifySubnetAttributeCommand({ SubnetId, AssignIpv6AddressOnCreation: { Value: true } }),
      ),
    );
    expect(noV6.code).toBe('InvalidParameterValue');
  });

  it('takes a /64 of its VPC IPv6 block, and keeps it while it assigns IPv6 on creation', async () => {
    const vpc = (
      await t.ec2.send(
        new CreateVpcCommand({ CidrBlock: '10.121.0.0/16', AmazonProvidedIpv6CidrBlock: true }),
      )
    ).Vpc!;
    const block = vpc.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const v64 = block.replace('00::/56', '01::/64');
    const SubnetId = (
      await t.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.121.1.0/24' }))
    ).Subnet!.SubnetId!;
    const outside = await awsError(
      t.ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId, Ipv6CidrBlock: '2001:db8::/64' })),
    );
    expect(outside.code).toBe('InvalidSubnet.Range');
    const { Ipv6CidrBlockAssociation } = await t.ec2.send(
      new AssociateSubnetCidrBlockCommand({ SubnetId, Ipv6CidrBlock: v64 }),
    );
    expect(Ipv6CidrBlockAssociation).toMatchObject({
      Ipv6CidrBlock: v64,
      AssociationId: expect.stringMatching(/^subnet-cidr-assoc-/),
    });
    await t.ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId, AssignIpv6AddressOnCreation: { Value: true } }),
    );
    const inUse = await awsError(
      t.ec2.send(
        new DisassociateSubnetCidrBlockCommand({ AssociationId: Ipv6CidrBlockAssociation!.AssociationId }),
      ),
    );
    expect(inUse.code).toBe('InvalidCidrBlock.InUse');
    await t.ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId, AssignIpv6AddressOnCreation: { Value: false } }),
    );
    await t.ec2.send(
      new DisassociateSubnetCidrBlockCommand({ AssociationId: Ipv6CidrBlockAssociation!.AssociationId }),
    );
    expect((await subnet(SubnetId)).Ipv6CidrBlockAssociationSet).toEqual([]);
    const native = await t.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpc.VpcId,
        Ipv6Native: true,
        Ipv6CidrBlock: block.replace('00::/56', '02::/64'),
      }),
    );
    expect(native.Subnet!.Ipv6Native).toBe(true);
    expect(native.Subnet!.CidrBlock).toBeUndefined();
  });
});
