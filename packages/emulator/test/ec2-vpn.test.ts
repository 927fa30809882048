import {
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  CreateVpnGatewayCommand,
  DeleteCustomerGatewayCommand,
  DeleteVpcCommand,
  DeleteVpnConnectionCommand,
  DeleteVpnConnectionRouteCommand,
  DeleteVpnGatewayCommand,
  DescribeCustomerGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  DetachVpnGatewayCommand,
  EnableVgwRoutePropagationCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 2_000 });

const vgw = async (id: string) =>
  (await t.ec2.send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [id] }))).VpnGateways![0]!;

describe('customer gateways, virtual private gateways and VPN connections', () => {
  it('a customer gateway is idempotent on its address and ASN, and kept while a connection uses it', async () => {
    const a = (
      await t.ec2.send(
        new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.7', BgpAsn: 65010 }),
      )
    ).CustomerGateway!;
    expect(a).toMatchObject({
      CustomerGatewayId: expect.stringMatching(/^cgw-[0-9a-f]{17}$/),
      State: 'available',
      IpAddress: '198.51.100.7',
      BgpAsn: '65010',
      Type: 'ipsec.1',
    });
    const again = (
      await t.ec2.send(
        new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.7', BgpAsn: 65010 }),
      )
    ).CustomerGateway!;
    expect(again.CustomerGatewayId).toBe(a.CustomerGatewayId);
    const bad = await awsError(
      t.ec2.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.2' as never, IpAddress: '198.51.100.8' })),
    );
    expect(bad.code).toBe('InvalidParameterValue');
  });

  it('attaches a VGW on the clock, routes and propagates through it, and detaches it', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.130.0.0/16' }))).Vpc!.VpcId!;
    const { VpnGateway } = await t.ec2.send(
      new CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: 64600 }),
    );
    const id = VpnGateway!.VpnGatewayId!;
    expect(VpnGateway).toMatchObject({ State: 'pending', AmazonSideAsn: 64600, VpcAttachments: [] });
    t.emu.clock.advance(2_000);
    expect((await vgw(id)).State).toBe('available');
    const attached = await t.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: id, VpcId }));
    expect(attached.VpcAttachment).toEqual({ VpcId, State: 'attaching' });
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: id }),
    );
    await t.ec2.send(new EnableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: id }));
    const table = async () =>
      (await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!;
    expect((await table()).Routes!.at(-1)!.State).toBe('blackhole');
    t.emu.clock.advance(2_000);
    expect((await vgw(id)).VpcAttachments).toEqual([{ VpcId, State: 'attached' }]);
    expect(await table()).toMatchObject({ PropagatingVgws: [{ GatewayId: id }] });
    expect((await table()).Routes!.at(-1)!.State).toBe('active');

    const twice = await awsError(t.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: id, VpcId })));
    expect(twice.code).toBe('VpnGatewayAttachmentLimitExceeded');
    expect((await awsError(t.ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: id })))).code).toBe(
      'IncorrectState',
    );
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })))).code).toBe('DependencyViolation');
    await t.ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId: id, VpcId }));
    expect((await vgw(id)).VpcAttachments).toEqual([{ VpcId, State: 'detaching' }]);
    t.emu.clock.advance(2_000);
    expect((await vgw(id)).VpcAttachments).toEqual([{ VpcId, State: 'detached' }]);
    const notAttached = await awsError(t.ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId: id, VpcId })));
    expect(notAttached.code).toBe('InvalidVpnGatewayAttachment.NotFound');
    await t.ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: id }));
    expect((await vgw(id)).State).toBe('deleted');
  });

  it('a VPN connection is pending then available, takes static routes, and is deleted on the clock', async () => {
    const cgw = (
      await t.ec2.send(
        new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '203.0.113.9', BgpAsn: 65020 }),
      )
    ).CustomerGateway!.CustomerGatewayId!;
    const gw = (await t.ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const { VpnConnection } = await t.ec2.send(
      new CreateVpnConnectionCommand({
        Type: 'ipsec.1',
        CustomerGatewayId: cgw,
        VpnGatewayId: gw,
        Options: { StaticRoutesOnly: true },
        TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'office' }] }],
      }),
    );
    const id = VpnConnection!.VpnConnectionId!;
    expect(VpnConnection).toMatchObject({
      VpnConnectionId: expect.stringMatching(/^vpn-[0-9a-f]{17}$/),
      State: 'pending',
      Options: { StaticRoutesOnly: true },
      VgwTelemetry: [{ Status: 'DOWN' }, { Status: 'DOWN' }],
    });
    t.emu.clock.advance(2_000);
    await t.ec2.send(
      new CreateVpnConnectionRouteCommand({ VpnConnectionId: id, DestinationCidrBlock: '172.20.0.0/16' }),
    );
    const dup = await awsError(
      t.ec2.send(
        new CreateVpnConnectionRouteCommand({ VpnConnectionId: id, DestinationCidrBlock: '172.20.0.0/16' }),
      ),
    );
    expect(dup.code).toBe('RouteAlreadyExists');
    const c = (await t.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] })))
      .VpnConnections![0]!;
    expect(c).toMatchObject({
      State: 'available',
      Routes: [{ DestinationCidrBlock: '172.20.0.0/16', Source: 'Static' }],
    });
    expect(
      (await awsError(t.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw })))).code,
    ).toBe('IncorrectState');
    await t.ec2.send(
      new DeleteVpnConnectionRouteCommand({ VpnConnectionId: id, DestinationCidrBlock: '172.20.0.0/16' }),
    );
    await t.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: id }));
    t.emu.clock.advance(2_000);
    const gone = (await t.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] })))
      .VpnConnections![0]!;
    expect(gone.State).toBe('deleted');
    await t.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw }));
    const cg = (await t.ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [cgw] })))
      .CustomerGateways![0]!;
    expect(cg.State).toBe('deleted');
    const missing = await awsError(
      t.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: ['vpn-0123456789abcdef0'] })),
    );
    expect(missing.code).toBe('InvalidVpnConnectionID.NotFound');
  });
});
