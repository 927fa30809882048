import type {
  CarrierGateway,
  CarrierGatewayState,
  CreateCarrierGatewayCommandInput,
  CreateCarrierGatewayCommandOutput,
  DeleteCarrierGatewayCommandInput,
  DeleteCarrierGatewayCommandOutput,
  DescribeCarrierGatewaysCommandInput,
  DescribeCarrierGatewaysCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, idErrors, incorrectState } from './errors';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  settleLifecycle,
} from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { vpcs } from './vpcs';

/**
 * Carrier gateways (Wavelength): one per VPC, `pending` then `available` on the clock, `deleting`
 * then `deleted` (listed for an hour). Route tables can send traffic to one.
 * https://docs.aws.amazon.com/vpc/latest/userguide/Carrier_Gateway.html
 */
export interface CarrierGatewayRecord extends ResourceRecord, Lifecycle<CarrierGatewayState> {
  vpcId: string;
}

const HOUR = 60 * 60_000;

export const carrierGateways = defineFamily<CarrierGatewayRecord, CarrierGateway>({
  prefix: 'cagw',
  resourceType: 'carrier-gateway',
  errors: idErrors({
    notFound: 'InvalidCarrierGatewayID.NotFound',
    malformed: 'InvalidCarrierGatewayID.Malformed',
    noun: 'carrierGateway',
    prefix: 'cagw',
  }),
  settle: settleLifecycle,
  shape: (g, view) => ({
    CarrierGatewayId: g.id,
    VpcId: g.vpcId,
    State: g.state,
    OwnerId: view.region.accountId,
    Tags: view.tags(g.id),
  }),
  filters: (view) => ({
    'carrier-gateway-id': (g) => g.id,
    state: (g) => g.state,
    'owner-id': () => view.region.accountId,
    'vpc-id': (g) => g.vpcId,
  }),
});

const live = (g: CarrierGatewayRecord) => g.state === 'pending' || g.state === 'available';

const create: Handler<CreateCarrierGatewayCommandInput, Out<CreateCarrierGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (carrierGateways.list(ctx).some((g) => g.vpcId === vpc.id && live(g)))
    throw incorrectState(`The VPC ${vpc.id} already has a carrier gateway.`);
  const g = carrierGateways.create(ctx, input, () => ({
    vpcId: vpc.id,
    state: 'pending' as CarrierGatewayState,
  }));
  moveTo(g, ctx.clock.now(), 'pending', { state: 'available', delay: ctx.delays.pending });
  return { CarrierGateway: carrierGateways.shape(ctx, g) };
};

const remove: Handler<DeleteCarrierGatewayCommandInput, Out<DeleteCarrierGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const g = carrierGateways.get(ctx, input.CarrierGatewayId, 'CarrierGatewayId');
  if (!live(g)) throw carrierGateways.spec.errors.notFound([g.id]);
  checkDryRun(input);
  moveTo(g, ctx.clock.now(), 'deleting', { state: 'deleted', delay: ctx.delays.pending, visibleFor: HOUR });
  return { CarrierGateway: carrierGateways.shape(ctx, g) };
};

registerRouteTarget('cagw', {
  check(scope, id, vpc) {
    const g = carrierGateways.get(scope, id, 'CarrierGatewayId');
    if (g.vpcId !== vpc.id || !live(g)) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id) => carrierGateways.find(scope, id)?.state === 'available',
});
vpcs.blockedBy('carrier gateways', (scope, vpc) =>
  carrierGateways.list(scope).some((g) => g.vpcId === vpc.id && live(g)),
);

export const carrierGatewayHandlers: HandlerMap = {
  CreateCarrierGateway: create,
  DeleteCarrierGateway: remove,
  DescribeCarrierGateways: carrierGateways.describeHandler(
    (i: DescribeCarrierGatewaysCommandInput) => i.CarrierGatewayIds,
    'CarrierGateways',
  ) satisfies Handler<DescribeCarrierGatewaysCommandInput, Out<DescribeCarrierGatewaysCommandOutput>>,
};
