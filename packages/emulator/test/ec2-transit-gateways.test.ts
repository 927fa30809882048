import {
  AssociateTransitGatewayRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteTransitGatewayCommand,
  DeleteTransitGatewayRouteTableCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000 });

async function vpcWithSubnets(second: number) {
  const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }))).Vpc!.VpcId!;
  const a = (
    await t.ec2.send(
      new CreateSubnetCommand({ VpcId, CidrBlock: `10.${second}.1.0/24`, AvailabilityZone: 'us-east-1a' }),
    )
  ).Subnet!.SubnetId!;
  const b = (
    await t.ec2.send(
      new CreateSubnetCommand({ VpcId, CidrBlock: `10.${second}.2.0/24`, AvailabilityZone: 'us-east-1a' }),
    )
  ).Subnet!.SubnetId!;
  return { VpcId, a, b };
}

const search = async (id: string, filters: { Name: string; Values: string[] }[]) =>
  (
    await t.ec2.send(
      new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: id, Filters: filters }),
    )
  ).Routes!;

describe('transit gateways', () => {
  it('a gateway with its default table; VPC attachments associate, propagate and route', async () => {
    const { TransitGateway } = await t.ec2.send(new CreateTransitGatewayCommand({ Description: 'core' }));
    const tgw = TransitGateway!.TransitGatewayId!;
    const defaultTable = TransitGateway!.Options!.AssociationDefaultRouteTableId!;
    expect(TransitGateway).toMatchObject({
      State: 'pending',
      Options: {
        AmazonSideAsn: 64512,
        DefaultRouteTableAssociation: 'enable',
        PropagationDefaultRouteTableId: defaultTable,
      },
    });
    t.emu.clock.advance(1_000);
    expect(
      (await t.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw] })))
        .TransitGateways![0]!.State,
    ).toBe('available');
    const tables = await t.ec2.send(
      new DescribeTransitGatewayRouteTablesCommand({
        Filters: [{ Name: 'default-association-route-table', Values: ['true'] }],
      }),
    );
    expect(tables.TransitGatewayRouteTables!.map((x) => x.TransitGatewayRouteTableId)).toContain(
      defaultTable,
    );

    const one = await vpcWithSubnets(140);
    const sameZone = await awsError(
      t.ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({
          TransitGatewayId: tgw,
          VpcId: one.VpcId,
          SubnetIds: [one.a, one.b],
        }),
      ),
    );
    expect(sameZone.code).toBe('DuplicateSubnetsInSameZone');
    const att = (
      await t.ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({
          TransitGatewayId: tgw,
          VpcId: one.VpcId,
          SubnetIds: [one.a],
        }),
      )
    ).TransitGatewayVpcAttachment!;
    expect(att).toMatchObject({
      State: 'pending',
      SubnetIds: [one.a],
      TransitGatewayAttachmentId: expect.stringMatching(/^tgw-attach-/),
    });
    t.emu.clock.advance(1_000);
    const all = await t.ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({
        TransitGatewayAttachmentIds: [att.TransitGatewayAttachmentId!],
      }),
    );
    expect(all.TransitGatewayAttachments![0]).toMatchObject({
      ResourceType: 'vpc',
      ResourceId: one.VpcId,
      State: 'available',
      Association: { TransitGatewayRouteTableId: defaultTable, State: 'associated' },
    });
    // The VPC's block is propagated; a static route joins it.
    expect(
      (await search(defaultTable, [{ Name: 'type', Values: ['propagated'] }])).map(
        (r) => r.DestinationCidrBlock,
      ),
    ).toEqual(['10.140.0.0/16']);
    await t.ec2.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: defaultTable,
        DestinationCidrBlock: '0.0.0.0/0',
        Blackhole: true,
      }),
    );
    const dup = await awsError(
      t.ec2.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: defaultTable,
          DestinationCidrBlock: '0.0.0.0/0',
          Blackhole: true,
        }),
      ),
    );
    expect(dup.code).toBe('RouteAlreadyExists');
    const lpm = await search(defaultTable, [
      { Name: 'route-search.longest-prefix-match', Values: ['10.140.1.5/32'] },
    ]);
    expect(lpm.map((r) => [r.DestinationCidrBlock, r.State])).toEqual([['10.140.0.0/16', 'active']]);
    expect(
      (await search(defaultTable, [{ Name: 'state', Values: ['blackhole'] }])).map(
        (r) => r.DestinationCidrBlock,
      ),
    ).toEqual(['0.0.0.0/0']);

    // A VPC route table can send traffic to the gateway it is attached to.
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId: one.VpcId }))).RouteTable!
      .RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({
        RouteTableId: rtb,
        DestinationCidrBlock: '10.0.0.0/8',
        TransitGatewayId: tgw,
      }),
    );
    const routes = (await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] })))
      .RouteTables![0]!.Routes!;
    expect(routes.at(-1)).toMatchObject({ TransitGatewayId: tgw, State: 'active' });

    expect((await awsError(t.ec2.send(new DeleteSubnetCommand({ SubnetId: one.a })))).code).toBe(
      'DependencyViolation',
    );
    expect(
      (await awsError(t.ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: tgw })))).code,
    ).toBe('IncorrectState');
    await t.ec2.send(
      new DeleteTransitGatewayVpcAttachmentCommand({
        TransitGatewayAttachmentId: att.TransitGatewayAttachmentId,
      }),
    );
    t.emu.clock.advance(1_000);
    expect(await search(defaultTable, [{ Name: 'type', Values: ['propagated'] }])).toEqual([]);
    await t.ec2.send(new DeleteTransitGatewayCommand({ TransitGatewayId: tgw }));
  });

  it('custom route tables: associations are one per attachment; associated tables cannot be deleted', async () => {
    const tgw = (
      await t.ec2.send(
        new CreateTransitGatewayCommand({
          Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
        }),
      )
    ).TransitGateway!.TransitGatewayId!;
    t.emu.clock.advance(1_000);
    const { VpcId, a } = await vpcWithSubnets(141);
    const att = (
      await t.ec2.send(
        new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId, SubnetIds: [a] }),
      )
    ).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    const [r1, r2] = [
      (await t.ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw })))
        .TransitGatewayRouteTable!.TransitGatewayRouteTableId!,
      (await t.ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgw })))
        .TransitGatewayRouteTable!.TransitGatewayRouteTableId!,
    ];
    await t.ec2.send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: r1,
        TransitGatewayAttachmentId: att,
      }),
    );
    const second = await awsError(
      t.ec2.send(
        new AssociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId: r2,
          TransitGatewayAttachmentId: att,
        }),
      ),
    );
    expect(second.code).toBe('Resource.AlreadyAssociated');
    const assoc = await t.ec2.send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: r1 }),
    );
    expect(assoc.Associations).toEqual([
      { TransitGatewayAttachmentId: att, ResourceId: VpcId, ResourceType: 'vpc', State: 'associated' },
    ]);
    expect(
      (
        await awsError(
          t.ec2.send(new DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r1 })),
        )
      ).code,
    ).toBe('IncorrectState');
    await t.ec2.send(
      new EnableTransitGatewayRouteTablePropagationCommand({
        TransitGatewayRouteTableId: r2,
        TransitGatewayAttachmentId: att,
      }),
    );
    const dupProp = await awsError(
      t.ec2.send(
        new EnableTransitGatewayRouteTablePropagationCommand({
          TransitGatewayRouteTableId: r2,
          TransitGatewayAttachmentId: att,
        }),
      ),
    );
    expect(dupProp.code).toBe('TransitGatewayRouteTablePropagation.Duplicate');
    await t.ec2.send(
      new DisassociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: r1,
        TransitGatewayAttachmentId: att,
      }),
    );
    const deleted = await t.ec2.send(
      new DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r1 }),
    );
    expect(deleted.TransitGatewayRouteTable!.State).toBe('deleted');
    const missing = await awsError(
      t.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: ['tgw-0123456789abcdef0'] })),
    );
    expect(missing.code).toBe('InvalidTransitGatewayID.NotFound');
  });
});
