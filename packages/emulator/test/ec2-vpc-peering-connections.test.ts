import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  RejectVpcPeeringConnectionCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2();

const vpc = async (cidr: string) => (await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
const status = async (id: string) =>
  (await t.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] })))
    .VpcPeeringConnections![0]!.Status;

describe('VPC peering connections', () => {
  it('request → pending-acceptance → active, routed, then deleted', async () => {
    const [a, b] = [await vpc('10.100.0.0/16'), await vpc('10.101.0.0/16')];
    const { VpcPeeringConnection } = await t.ec2.send(
      new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }),
    );
    const id = VpcPeeringConnection!.VpcPeeringConnectionId!;
    expect(VpcPeeringConnection).toMatchObject({
      VpcPeeringConnectionId: expect.stringMatching(/^pcx-[0-9a-f]{17}$/),
      Status: { Code: 'initiating-request' },
      RequesterVpcInfo: {
        VpcId: a,
        CidrBlock: '10.100.0.0/16',
        OwnerId: '123456789012',
        Region: 'us-east-1',
      },
      AccepterVpcInfo: { VpcId: b, CidrBlock: '10.101.0.0/16' },
    });
    expect((await status(id))!.Code).toBe('pending-acceptance');
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId: a }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({
        RouteTableId: rtb,
        DestinationCidrBlock: '10.101.0.0/16',
        VpcPeeringConnectionId: id,
      }),
    );
    const routeState = async () =>
      (
        await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))
      ).RouteTables![0]!.Routes!.at(-1)!.State;
    expect(await routeState()).toBe('blackhole');
    const accepted = await t.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(accepted.VpcPeeringConnection!.Status).toEqual({ Code: 'active', Message: 'Active' });
    expect(await routeState()).toBe('active');
    const again = await awsError(
      t.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
    );
    expect(again.code).toBe('InvalidStateTransition');
    expect(
      (await t.ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))).Return,
    ).toBe(true);
    expect((await status(id))!.Code).toBe('deleted');
    expect(await routeState()).toBe('blackhole');
    const byStatus = await t.ec2.send(
      new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: 'status-code', Values: ['deleted'] }] }),
    );
    expect(byStatus.VpcPeeringConnections!.map((p) => p.VpcPeeringConnectionId)).toContain(id);
    // Ended connections stay listed for two hours.
    t.emu.clock.advance(2 * 60 * 60_000);
    expect(
      (
        await awsError(
          t.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] })),
        )
      ).code,
    ).toBe('InvalidVpcPeeringConnectionID.NotFound');
  });

  it('rejects, fails on overlapping blocks, expires after a week, and goes with a deleted VPC', async () => {
    const [a, b, c] = [await vpc('10.102.0.0/16'), await vpc('10.103.0.0/16'), await vpc('10.102.0.0/16')];
    const rejected = (await t.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b })))
      .VpcPeeringConnection!.VpcPeeringConnectionId!;
    await t.ec2.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: rejected }));
    expect((await status(rejected))!.Code).toBe('rejected');
    const overlapping = (await t.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: c })))
      .VpcPeeringConnection!;
    expect(overlapping.Status!.Code).toBe('failed');

    const expiring = (await t.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b })))
      .VpcPeeringConnection!.VpcPeeringConnectionId!;
    t.emu.clock.advance(7 * 24 * 60 * 60_000);
    expect((await status(expiring))!.Code).toBe('expired');

    const live = (await t.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b })))
      .VpcPeeringConnection!.VpcPeeringConnectionId!;
    await t.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: live }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId: b }));
    expect((await status(live))!.Code).toBe('deleted');
    const missing = await awsError(
      t.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: 'vpc-0123456789abcdef0' })),
    );
    expect(missing.code).toBe('InvalidVpcID.NotFound');
    const malformed = await awsError(
      t.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: 'pcx-1' })),
    );
    expect(malformed.code).toBe('InvalidVpcPeeringConnectionId.Malformed');
  });
});
