import {
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteManagedPrefixListCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 3_000 });
const S3 = 'com.amazonaws.us-east-1.s3';

const routes = async (id: string) =>
  (await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0]!.Routes!;

describe('VPC endpoints', () => {
  it('a gateway endpoint routes its prefix list in the tables given, and takes them back', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }))).Vpc!.VpcId!;
    const [a, b] = [
      (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!,
      (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!,
    ];
    const { VpcEndpoint } = await t.ec2.send(
      new CreateVpcEndpointCommand({ VpcId, ServiceName: S3, RouteTableIds: [a] }),
    );
    const id = VpcEndpoint!.VpcEndpointId!;
    expect(VpcEndpoint).toMatchObject({
      VpcEndpointId: expect.stringMatching(/^vpce-[0-9a-f]{17}$/),
      VpcEndpointType: 'Gateway',
      State: 'available',
      ServiceName: S3,
      RouteTableIds: [a],
      PolicyDocument: expect.stringContaining('"Effect":"Allow"'),
    });
    const s3List = (
      await t.ec2.send(
        new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: [S3] }] }),
      )
    ).PrefixLists![0]!;
    expect(s3List.PrefixListId).toBe('pl-63a5400a');
    expect((await routes(a)).at(-1)).toEqual({
      DestinationPrefixListId: 'pl-63a5400a',
      GatewayId: id,
      Origin: 'CreateRoute',
      State: 'active',
    });
    await t.ec2.send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddRouteTableIds: [b], RemoveRouteTableIds: [a] }),
    );
    expect((await routes(a)).map((r) => r.DestinationPrefixListId)).toEqual([undefined]);
    expect((await routes(b)).at(-1)!.GatewayId).toBe(id);

    // The VPC cannot go while the endpoint is there; unknown ids in DeleteVpcEndpoints are reported, not raised.
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })))).code).toBe('DependencyViolation');
    const { Unsuccessful } = await t.ec2.send(
      new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id, 'vpce-0123456789abcdef0'] }),
    );
    expect(Unsuccessful).toEqual([
      {
        ResourceId: 'vpce-0123456789abcdef0',
        Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: expect.any(String) },
      },
    ]);
    expect((await routes(b)).map((r) => r.GatewayId)).toEqual(['local']);
    expect((await awsError(t.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] })))).code).toBe(
      'InvalidVpcEndpointId.NotFound',
    );
  });

  it('an interface endpoint is pending, then available, with an interface per subnet', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.91.0.0/16' }))).Vpc!.VpcId!;
    const s1 = (
      await t.ec2.send(
        new CreateSubnetCommand({ VpcId, CidrBlock: '10.91.1.0/24', AvailabilityZone: 'us-east-1a' }),
      )
    ).Subnet!.SubnetId!;
    const s2 = (
      await t.ec2.send(
        new CreateSubnetCommand({ VpcId, CidrBlock: '10.91.2.0/24', AvailabilityZone: 'us-east-1a' }),
      )
    ).Subnet!.SubnetId!;
    const GroupId = (
      await t.ec2.send(new CreateSecurityGroupCommand({ VpcId, GroupName: 'vpce', Description: 'e' }))
    ).GroupId!;
    const sameZone = await awsError(
      t.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId,
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-1.ssm',
          SubnetIds: [s1, s2],
        }),
      ),
    );
    expect(sameZone.code).toBe('DuplicateSubnetsInSameZone');
    const { VpcEndpoint } = await t.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.ssm',
        SubnetIds: [s1],
        SecurityGroupIds: [GroupId],
      }),
    );
    expect(VpcEndpoint).toMatchObject({
      State: 'pending',
      SubnetIds: [s1],
      NetworkInterfaceIds: [expect.stringMatching(/^eni-/)],
      Groups: [{ GroupId, GroupName: 'vpce' }],
      PrivateDnsEnabled: true,
    });
    t.emu.clock.advance(3_000);
    const d = await t.ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-state', Values: ['available'] }] }),
    );
    expect(d.VpcEndpoints!.map((e) => e.VpcEndpointId)).toContain(VpcEndpoint!.VpcEndpointId);
    expect((await awsError(t.ec2.send(new DeleteSubnetCommand({ SubnetId: s1 })))).code).toBe(
      'DependencyViolation',
    );
  });

  it('refuses unknown services and the wrong endpoint type', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.92.0.0/16' }))).Vpc!.VpcId!;
    const unknown = await awsError(
      t.ec2.send(new CreateVpcEndpointCommand({ VpcId, ServiceName: 'com.amazonaws.us-east-1.nope' })),
    );
    expect(unknown.code).toBe('InvalidServiceName');
    const wrongType = await awsError(
      t.ec2.send(new CreateVpcEndpointCommand({ VpcId, ServiceName: 'com.amazonaws.us-east-1.ssm' })),
    );
    expect(wrongType.code).toBe('InvalidParameter');
    expect(
      (await t.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] })))
        .VpcEndpoints,
    ).toEqual([]);
    const services = await t.ec2.send(new DescribeVpcEndpointServicesCommand({}));
    expect(services.ServiceNames).toContain('com.amazonaws.us-east-1.dynamodb');
    // An AWS-managed list is not the account's to delete.
    const notYours = await awsError(
      t.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: 'pl-63a5400a' })),
    );
    expect(notYours.code).toBe('UnauthorizedOperation');
  });
});
