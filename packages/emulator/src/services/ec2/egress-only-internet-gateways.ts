import type {
  AttachmentStatus,
  CreateEgressOnlyInternetGatewayCommandInput,
  CreateEgressOnlyInternetGatewayCommandOutput,
  DeleteEgressOnlyInternetGatewayCommandInput,
  DeleteEgressOnlyInternetGatewayCommandOutput,
  DescribeEgressOnlyInternetGatewaysCommandInput,
  DescribeEgressOnlyInternetGatewaysCommandOutput,
  EgressOnlyInternetGateway,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { idErrors } from './errors';
import { defineFamily, type ResourceRecord } from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { vpcs } from './vpcs';

/**
 * Egress-only internet gateways: outbound-only IPv6, made attached to one VPC.
 * https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html
 */
export interface EgressOnlyGatewayRecord extends ResourceRecord {
  vpcId: string;
}

export const egressOnlyGateways = defineFamily<EgressOnlyGatewayRecord, EgressOnlyInternetGateway>({
  prefix: 'eigw',
  resourceType: 'egress-only-internet-gateway',
  // AWS answers InvalidGatewayID.NotFound for an unknown eigw, in the words of its gateways.
  errors: idErrors({
    notFound: 'InvalidGatewayID.NotFound',
    malformed: 'InvalidEgressOnlyInternetGatewayId.Malformed',
    noun: 'eigw',
    prefix: 'eigw',
  }),
  paging: { min: 5, max: 255 },
  shape: (g, view) => ({
    EgressOnlyInternetGatewayId: g.id,
    Attachments: [{ VpcId: g.vpcId, State: 'attached' as AttachmentStatus }],
    Tags: view.tags(g.id),
  }),
  // The reference documents only the tag filters for this action.
  filters: () => ({}),
});

const create: Handler<
  CreateEgressOnlyInternetGatewayCommandInput,
  Out<CreateEgressOnlyInternetGatewayCommandOutput>
> = (input, ctx) => {
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  const g = egressOnlyGateways.create(ctx, input, () => ({ vpcId: vpc.id }));
  return { EgressOnlyInternetGateway: egressOnlyGateways.shape(ctx, g), ClientToken: input.ClientToken };
};

const remove: Handler<
  DeleteEgressOnlyInternetGatewayCommandInput,
  Out<DeleteEgressOnlyInternetGatewayCommandOutput>
> = (input, ctx) => {
  egressOnlyGateways.delete(ctx, input, input.EgressOnlyInternetGatewayId, 'EgressOnlyInternetGatewayId');
  return { ReturnCode: true };
};

registerRouteTarget('eigw', {
  check(scope, id, vpc) {
    const g = egressOnlyGateways.get(scope, id, 'EgressOnlyInternetGatewayId');
    if (g.vpcId !== vpc.id) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id) => egressOnlyGateways.find(scope, id) !== undefined,
});
vpcs.blockedBy('egress-only internet gateways', (scope, vpc) =>
  egressOnlyGateways.list(scope).some((g) => g.vpcId === vpc.id),
);

export const egressOnlyInternetGatewayHandlers: HandlerMap = {
  CreateEgressOnlyInternetGateway: create,
  DeleteEgressOnlyInternetGateway: remove,
  DescribeEgressOnlyInternetGateways: egressOnlyGateways.describeHandler(
    (i: DescribeEgressOnlyInternetGatewaysCommandInput) => i.EgressOnlyInternetGatewayIds,
    'EgressOnlyInternetGateways',
  ) satisfies Handler<
    DescribeEgressOnlyInternetGatewaysCommandInput,
    Out<DescribeEgressOnlyInternetGatewaysCommandOutput>
  >,
};
