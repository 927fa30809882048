import {
  AssociateRouteTableCommand,
  AssociateVpcCidrBlockCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AL2023, awsError, useEc2 } from './ec2-setup';

const t = useEc2({ shuttingDown: 1_000 });

const table = async (id: string) =>
  (await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0]!;

async function network(cidr: string) {
  const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const igw = (await t.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }));
  return { VpcId, igw };
}

describe('route tables', () => {
  it('every VPC has a main table with its local route, found as Terraform finds it', async () => {
    const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.10.0.0/16' }));
    const { RouteTables } = await t.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [Vpc!.VpcId!] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    );
    expect(RouteTables).toHaveLength(1);
    expect(RouteTables![0]).toMatchObject({
      RouteTableId: expect.stringMatching(/^rtb-[0-9a-f]{17}$/),
      VpcId: Vpc!.VpcId,
      OwnerId: '123456789012',
      Routes: [
        {
          DestinationCidrBlock: '10.10.0.0/16',
          GatewayId: 'local',
          Origin: 'CreateRouteTable',
          State: 'active',
        },
      ],
      Associations: [{ Main: true, AssociationState: { State: 'associated' } }],
    });
    // A block associated later is routed locally at once.
    await t.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.11.0.0/16' }));
    const again = await table(RouteTables![0]!.RouteTableId!);
    expect(again.Routes!.map((r) => r.DestinationCidrBlock)).toEqual(['10.10.0.0/16', '10.11.0.0/16']);
  });

  it("the default VPC's main table routes 0.0.0.0/0 to its internet gateway", async () => {
    const def = (
      await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    ).Vpcs![0]!;
    const { RouteTables } = await t.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [def.VpcId!] },
          { Name: 'route.destination-cidr-block', Values: ['0.0.0.0/0'] },
        ],
      }),
    );
    expect(RouteTables![0]!.Routes).toEqual([
      {
        DestinationCidrBlock: '172.31.0.0/16',
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      },
      {
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: expect.stringMatching(/^igw-/),
        Origin: 'CreateRoute',
        State: 'active',
      },
    ]);
  });

  it('creates, replaces and deletes routes, with AWS errors and nothing changed on failure', async () => {
    const { VpcId, igw } = await network('10.20.0.0/16');
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
    );
    const dup = await awsError(
      t.ec2.send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
      ),
    );
    expect(dup.code).toBe('RouteAlreadyExists');
    const local = await awsError(
      t.ec2.send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.20.0.0/16', GatewayId: igw }),
      ),
    );
    expect(local.code).toBe('RouteAlreadyExists');
    const unknown = await awsError(
      t.ec2.send(
        new CreateRouteCommand({
          RouteTableId: rtb,
          DestinationCidrBlock: '1.0.0.0/8',
          GatewayId: 'igw-0123456789abcdef0',
        }),
      ),
    );
    expect(unknown.code).toBe('InvalidInternetGatewayID.NotFound');
    const other = (await t.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!
      .InternetGatewayId!;
    const foreign = await awsError(
      t.ec2.send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '1.0.0.0/8', GatewayId: other }),
      ),
    );
    expect(foreign.code).toBe('InvalidParameterValue');
    expect((await table(rtb)).Routes).toHaveLength(2);

    const noRoute = await awsError(
      t.ec2.send(
        new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '9.0.0.0/8', GatewayId: igw }),
      ),
    );
    expect(noRoute.code).toBe('InvalidParameterValue');
    const cannotLocal = await awsError(
      t.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.20.0.0/16' })),
    );
    expect(cannotLocal.code).toBe('InvalidParameterValue');
    const missing = await awsError(
      t.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '9.0.0.0/8' })),
    );
    expect(missing.code).toBe('InvalidRoute.NotFound');
    await t.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' }));
    expect((await table(rtb)).Routes).toHaveLength(1);
    const bad = await awsError(t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-nope'] })));
    expect(bad.code).toBe('InvalidRouteTableId.Malformed');
    const gone = await awsError(
      t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0123456789abcdef0'] })),
    );
    expect(gone.code).toBe('InvalidRouteTableID.NotFound');
  });

  it('routes to an instance and its interface, and a route turns blackhole when its target goes', async () => {
    const { VpcId, igw } = await network('10.30.0.0/16');
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.30.1.0/24' }))).Subnet!
      .SubnetId!;
    const run = await t.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023, MinCount: 1, MaxCount: 1, SubnetId }),
    );
    const inst = run.Instances![0]!;
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
    );
    await t.ec2.send(
      new CreateRouteCommand({
        RouteTableId: rtb,
        DestinationCidrBlock: '192.168.0.0/16',
        InstanceId: inst.InstanceId,
      }),
    );
    await t.ec2.send(
      new CreateRouteCommand({
        RouteTableId: rtb,
        DestinationCidrBlock: '172.16.0.0/12',
        NetworkInterfaceId: inst.NetworkInterfaces![0]!.NetworkInterfaceId,
      }),
    );
    const routes = (await table(rtb)).Routes!;
    expect(routes[2]).toMatchObject({
      InstanceId: inst.InstanceId,
      NetworkInterfaceId: inst.NetworkInterfaces![0]!.NetworkInterfaceId,
      InstanceOwnerId: '123456789012',
      State: 'active',
    });
    expect(routes[3]).toMatchObject({ InstanceId: inst.InstanceId, State: 'active' });

    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    t.emu.clock.advance(1_000);
    await t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId }));
    const after = (await table(rtb)).Routes!;
    expect(after.map((r) => r.State)).toEqual(['active', 'blackhole', 'blackhole', 'blackhole']);
    const blackholes = await t.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.state', Values: ['blackhole'] }] }),
    );
    expect(blackholes.RouteTables!.map((x) => x.RouteTableId)).toContain(rtb);
    await t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    expect((await table(rtb)).Routes![1]!.State).toBe('blackhole');
  });

  it('associates subnets, replaces the main association, and guards deletion', async () => {
    const { VpcId } = await network('10.40.0.0/16');
    const SubnetId = (await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.40.1.0/24' }))).Subnet!
      .SubnetId!;
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    const { AssociationId } = await t.ec2.send(
      new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId }),
    );
    expect(AssociationId).toMatch(/^rtbassoc-[0-9a-f]{17}$/);
    const twice = await awsError(t.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId })));
    expect(twice.code).toBe('Resource.AlreadyAssociated');
    const bySubnet = await t.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [SubnetId] }] }),
    );
    expect(bySubnet.RouteTables!.map((x) => x.RouteTableId)).toEqual([rtb]);

    const inUse = await awsError(t.ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb })));
    expect(inUse.code).toBe('DependencyViolation');
    await t.ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    expect((await table(rtb)).Associations).toEqual([]);

    const main = (
      await t.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [VpcId] },
            { Name: 'association.main', Values: ['true'] },
          ],
        }),
      )
    ).RouteTables![0]!;
    const mainAssoc = main.Associations![0]!.RouteTableAssociationId!;
    const notMain = await awsError(
      t.ec2.send(new DisassociateRouteTableCommand({ AssociationId: mainAssoc })),
    );
    expect(notMain.code).toBe('InvalidParameterValue');
    const cannotDeleteMain = await awsError(
      t.ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId })),
    );
    expect(cannotDeleteMain.code).toBe('DependencyViolation');
    const { NewAssociationId } = await t.ec2.send(
      new ReplaceRouteTableAssociationCommand({ AssociationId: mainAssoc, RouteTableId: rtb }),
    );
    expect((await table(rtb)).Associations).toEqual([
      {
        Main: true,
        RouteTableAssociationId: NewAssociationId,
        RouteTableId: rtb,
        AssociationState: { State: 'associated' },
      },
    ]);
    // The old main table is now an ordinary one and blocks DeleteVpc until deleted.
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId }));
    const blocked = await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })));
    expect(blocked.code).toBe('DependencyViolation');
    await t.ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId }));
    const missingAssoc = await awsError(
      t.ec2.send(new DisassociateRouteTableCommand({ AssociationId: 'rtbassoc-0123456789abcdef0' })),
    );
    expect(missingAssoc.code).toBe('InvalidAssociationID.NotFound');
  });
});
