import {
  CreateCarrierGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  DeleteCarrierGatewayCommand,
  DeleteVpcCommand,
  DescribeCarrierGatewaysCommand,
  DescribeRouteTablesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsError, useEc2 } from './ec2-setup';

const t = useEc2({ pending: 1_000 });

describe('carrier gateways', () => {
  it('pending → available, one per VPC, a route target, deleting → deleted', async () => {
    const VpcId = (await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.150.0.0/16' }))).Vpc!.VpcId!;
    const { CarrierGateway } = await t.ec2.send(new CreateCarrierGatewayCommand({ VpcId }));
    const id = CarrierGateway!.CarrierGatewayId!;
    expect(CarrierGateway).toMatchObject({
      CarrierGatewayId: expect.stringMatching(/^cagw-[0-9a-f]{17}$/),
      VpcId,
      State: 'pending',
    });
    expect((await awsError(t.ec2.send(new CreateCarrierGatewayCommand({ VpcId })))).code).toBe(
      'IncorrectState',
    );
    const rtb = (await t.ec2.send(new CreateRouteTableCommand({ VpcId }))).RouteTable!.RouteTableId!;
    await t.ec2.send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', CarrierGatewayId: id }),
    );
    const state = async () =>
      (
        await t.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))
      ).RouteTables![0]!.Routes!.at(-1)!.State;
    expect(await state()).toBe('blackhole');
    t.emu.clock.advance(1_000);
    expect(await state()).toBe('active');
    const byState = await t.ec2.send(
      new DescribeCarrierGatewaysCommand({ Filters: [{ Name: 'state', Values: ['available'] }] }),
    );
    expect(byState.CarrierGateways!.map((g) => g.CarrierGatewayId)).toEqual([id]);
    expect((await awsError(t.ec2.send(new DeleteVpcCommand({ VpcId })))).code).toBe('DependencyViolation');
    expect(
      (await t.ec2.send(new DeleteCarrierGatewayCommand({ CarrierGatewayId: id }))).CarrierGateway!.State,
    ).toBe('deleting');
    t.emu.clock.advance(1_000);
    expect(
      (await t.ec2.send(new DescribeCarrierGatewaysCommand({ CarrierGatewayIds: [id] }))).CarrierGateways![0]!
        .State,
    ).toBe('deleted');
    expect(await state()).toBe('blackhole');
    expect(
      (await awsError(t.ec2.send(new DeleteCarrierGatewayCommand({ CarrierGatewayId: 'cagw-x' })))).code,
    ).toBe('InvalidCarrierGatewayID.Malformed');
  });
});
