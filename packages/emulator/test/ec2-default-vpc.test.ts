import {
  CreateDefaultSubnetCommand,
  CreateDefaultVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('the default VPC', () => {
  it('is refused while it exists, made again with its full set once deleted', async () => {
    expect((await awsError(t.ec2.send(new CreateDefaultVpcCommand({})))).code).toBe(
      'DefaultVpcAlreadyExists',
    );
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const { Subnets = [] } = await t.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [def.VpcId!] }] }),
    );
    for (const s of Subnets) await t.ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId }));
    const igw = (
      await t.ec2.send(
        new DescribeInternetGatewaysCommand({
          Filters: [{ Name: 'attachment.vpc-id', Values: [def.VpcId!] }],
        }),
      )
    ).InternetGateways![0]!.InternetGatewayId!;
    await t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: def.VpcId }));
    await t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId: def.VpcId }));
    expect(
      (await awsError(t.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: 'us-east-1a' })))).code,
    ).toBe('DefaultVpcDoesNotExist');

    const { Vpc } = await t.ec2.send(new CreateDefaultVpcCommand({}));
    expect(Vpc).toMatchObject({ IsDefault: true, CidrBlock: '172.31.0.0/16' });
    const subnets = await t.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }),
    );
    expect(subnets.Subnets!.map((s) => [s.AvailabilityZone, s.CidrBlock, s.DefaultForAz])).toEqual([
      ['us-east-1a', '172.31.0.0/20', true],
      ['us-east-1b', '172.31.16.0/20', true],
      ['us-east-1c', '172.31.32.0/20', true],
    ]);
    const main = await t.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [Vpc!.VpcId!] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    expect(main.RouteTables![0]!.Routes!.map((r) => r.DestinationCidrBlock)).toEqual([
      '172.31.0.0/16',
      '0.0.0.0/0',
    ]);

    const b = subnets.Subnets!.find((s) => s.AvailabilityZone === 'us-east-1b')!;
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId: b.SubnetId }));
    const again = await t.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: 'us-east-1b' }));
    expect(again.Subnet).toMatchObject({
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      CidrBlock: '172.31.16.0/20',
    });
    expect(
      (await awsError(t.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: 'us-east-1b' })))).code,
    ).toBe('DefaultSubnetAlreadyExistsInAvailabilityZone');
  });
});
