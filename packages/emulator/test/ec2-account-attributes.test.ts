import {
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeInternetGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const attributes = async (names?: string[]) =>
  Object.fromEntries(
    (
      await t.ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: names as never }))
    ).AccountAttributes!.map((a) => [a.AttributeName, a.AttributeValues!.map((v) => v.AttributeValue)]),
  );

describe('DescribeAccountAttributes', () => {
  it("answers a new account's attributes, the default VPC included", async () => {
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!.VpcId!;
    expect(await attributes()).toEqual({
      'supported-platforms': ['VPC'],
      'default-vpc': [def],
      'max-instances': ['20'],
      'vpc-max-security-groups-per-interface': ['5'],
      'max-elastic-ips': ['5'],
      'vpc-max-elastic-ips': ['5'],
    });
    expect(await attributes(['default-vpc'])).toEqual({ 'default-vpc': [def] });
  });

  it("says 'none' once the default VPC is deleted, and refuses unknown names", async () => {
    const bad = await awsError(
      t.ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['bogus' as never] })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
    // In a region of its own, take the default VPC apart: subnets, then its internet gateway.
    const west = new EC2Client({
      endpoint: t.emu.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const vpcId = (
        await west.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
      ).Vpcs![0]!.VpcId!;
      const filter = [{ Name: 'vpc-id', Values: [vpcId] }];
      for (const s of (await west.send(new DescribeSubnetsCommand({ Filters: filter }))).Subnets!)
        await west.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId }));
      const igw = (
        await west.send(
          new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
        )
      ).InternetGateways![0]!.InternetGatewayId!;
      await west.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
      await west.send(new DeleteVpcCommand({ VpcId: vpcId }));
      const values = (
        await west.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }))
      ).AccountAttributes![0]!.AttributeValues!;
      expect(values).toEqual([{ AttributeValue: 'none' }]);
    } finally {
      west.destroy();
    }
  });
});
