import {
  CreateEgressOnlyInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  DeleteEgressOnlyInternetGatewayCommand,
  DeleteVpcCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeRouteTablesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

describe('egress-only internet gateways', () => {
  it('creates one attached to a VPC, routes IPv6 to it, and deletes it', async () => {
    const VpcId = (
      await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.80.0.0/16', AmazonProvidedIpv6CidrBlock: true }))
    ).Vpc!.VpcId!;
    const { EgressOnlyInternetGateway } = await t.ec2.send(
      new CreateEgressOnlyInternetGatewayCommand({
        VpcId,
        TagSpecifications: [
          { ResourceType: 'egress-only-internet-gateway', Tags: [{ Key: 'Name', Value: 'v6' }] },
        ],
      }),
    );
    const id = EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!;
    expect(EgressOnlyInternetGateway).toEqual({
      EgressOnlyInternetGatewayId: expect.stringMatching(/^eigw-[0-9a-f]{17}$/),
      Attachments: [{ VpcId, State: 'attached' }],
      Tags: [{ Key: 'Name', Value: 'v6' }],
    });
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({
        RouteTableId: rtb,
        DestinationIpv6CidrBlock: '::/0',
        EgressOnlyInternetGatewayId: id,
      }),
    );
    const routes = (await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] })))
      .RouteTables![0]!.Routes!;
    expect(routes.at(-1)).toEqual({
      DestinationIpv6CidrBlock: '::/0',
      EgressOnlyInternetGatewayId: id,
      Origin: 'CreateRoute',
      State: 'active',
    });
    const byTag = await t.ec2.send(
      new DescribeEgressOnlyInternetGatewaysCommand({ Filters: [{ Name: 'tag:Name', Values: ['v6'] }] }),
    );
    expect(byTag.EgressOnlyInternetGateways!.map((g) => g.EgressOnlyInternetGatewayId)).toEqual([id]);
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })))).code).toBe('DependencyViolation');
    expect(
      (await t.ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: id })))
        .ReturnCode,
    ).toBe(true);
    const gone = await awsError(
      t.ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: id })),
    );
    expect(gone.code).toBe('InvalidGatewayID.NotFound');
    expect(
      (
        await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))
      ).RouteTables![0]!.Routes!.at(-1)!.State,
    ).toBe('blackhole');
  });

  it('needs an existing VPC', async () => {
    const err = await awsError(
      t.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: 'vpc-0123456789abcdef0' })),
    );
    expect(err.code).toBe('InvalidVpcID.NotFound');
    expect(
      (await t.ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways,
    ).toEqual([]);
  });
});
