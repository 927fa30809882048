import type {
  AttachInternetGatewayCommandInput,
  AttachInternetGatewayCommandOutput,
  AttachmentStatus,
  CreateInternetGatewayCommandInput,
  CreateInternetGatewayCommandOutput,
  DeleteInternetGatewayCommandInput,
  DeleteInternetGatewayCommandOutput,
  DescribeInternetGatewaysCommandInput,
  DescribeInternetGatewaysCommandOutput,
  DetachInternetGatewayCommandInput,
  DetachInternetGatewayCommandOutput,
  InternetGateway,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { alreadyAssociated, checkDryRun, dependencyViolation, gatewayNotAttached, idErrors } from './errors';
import { publicIpOf } from './instance-shape';
import { liveInstances } from './instance-state';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { type VpcRecord, vpcs } from './vpcs';

/**
 * Internet gateways: one per VPC at most, attached and detached at once.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachInternetGateway.html
 */
export interface InternetGatewayRecord extends ResourceRecord {
  vpcId?: string | undefined;
}

export const internetGateways = defineFamily<InternetGatewayRecord, InternetGateway>({
  prefix: 'igw',
  resourceType: 'internet-gateway',
  errors: idErrors({
    notFound: 'InvalidInternetGatewayID.NotFound',
    malformed: 'InvalidInternetGatewayId.Malformed',
    noun: 'internetGateway',
    prefix: 'igw',
  }),
  shape: (g, view) => ({
    InternetGatewayId: g.id,
    OwnerId: view.region.accountId,
    // An attached gateway reads 'available' here, not 'attached': AWS's own quirk.
    Attachments: g.vpcId ? [{ VpcId: g.vpcId, State: 'available' as AttachmentStatus }] : [],
    Tags: view.tags(g.id),
  }),
  filters: (view) => ({
    'internet-gateway-id': (g) => g.id,
    'attachment.vpc-id': (g) => g.vpcId,
    'attachment.state': (g) => (g.vpcId ? 'available' : undefined),
    'owner-id': () => view.region.accountId,
  }),
});

/** The gateway attached to a VPC, if any (route targets, NAT gateways and the default VPC read it). */
export const gatewayOfVpc = (scope: Scope, vpcId: string) =>
  internetGateways.where(scope, (g) => g.vpcId === vpcId).next().value as InternetGatewayRecord | undefined;

/** Other families say here what keeps a gateway attached (public addresses, public NAT gateways). */
const mappedAddresses: ((scope: Scope, vpc: VpcRecord) => boolean)[] = [];
export const blockIgwDetachWhen = (rule: (scope: Scope, vpc: VpcRecord) => boolean) =>
  void mappedAddresses.push(rule);

/** Attaches a gateway to a VPC; the caller has checked both. The default-VPC seed uses it too. */
export function attach(g: InternetGatewayRecord, vpc: VpcRecord): void {
  g.vpcId = vpc.id;
}

const createInternetGateway: Handler<
  CreateInternetGatewayCommandInput,
  Out<CreateInternetGatewayCommandOutput>
> = (input, ctx) => {
  const g = internetGateways.create(ctx, input, () => ({ vpcId: undefined }));
  return { InternetGateway: internetGateways.shape(ctx, g) };
};

const attachInternetGateway: Handler<
  AttachInternetGatewayCommandInput,
  Out<AttachInternetGatewayCommandOutput>
> = (input, ctx) => {
  const g = internetGateways.get(ctx, input.InternetGatewayId, 'InternetGatewayId');
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (g.vpcId) throw alreadyAssociated(`resource ${g.id} is already attached to network ${g.vpcId}`);
  const other = gatewayOfVpc(ctx, vpc.id);
  if (other) throw alreadyAssociated(`Network ${vpc.id} already has an internet gateway attached`);
  checkDryRun(input);
  attach(g, vpc);
  return {};
};

const detachInternetGateway: Handler<
  DetachInternetGatewayCommandInput,
  Out<DetachInternetGatewayCommandOutput>
> = (input, ctx) => {
  const g = internetGateways.get(ctx, input.InternetGatewayId, 'InternetGatewayId');
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (g.vpcId !== vpc.id) throw gatewayNotAttached(`resource ${g.id} is not attached to network ${vpc.id}`);
  if (mappedAddresses.some((mapped) => mapped(ctx, vpc)))
    throw dependencyViolation(
      `Network ${vpc.id} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    );
  checkDryRun(input);
  g.vpcId = undefined;
  return {};
};

const deleteInternetGateway: Handler<
  DeleteInternetGatewayCommandInput,
  Out<DeleteInternetGatewayCommandOutput>
> = (input, ctx) => {
  internetGateways.delete(ctx, input, input.InternetGatewayId, 'InternetGatewayId');
  return {};
};

// Instances with public addresses keep the gateway attached (AWS: "mapped public address(es)").
blockIgwDetachWhen((scope, vpc) => {
  for (const i of liveInstances(scope.region, scope.clock.now()))
    if (i.vpcId === vpc.id && publicIpOf(i) !== undefined) return true;
  return false;
});

registerRouteTarget('igw', {
  check(scope, id, vpc) {
    const g = internetGateways.get(scope, id, 'GatewayId');
    if (g.vpcId !== vpc.id) throw differentNetworks(vpc.id, id);
  },
  // A detached or deleted gateway leaves its routes in place, as blackholes.
  active: (scope, id, vpcId) => internetGateways.find(scope, id)?.vpcId === vpcId,
});

// An attached gateway must be detached before it, or its VPC, can be deleted.
internetGateways.blockedBy('its VPC attachment', (_scope, g) => g.vpcId !== undefined);
vpcs.blockedBy('an attached internet gateway', (scope, vpc) => gatewayOfVpc(scope, vpc.id) !== undefined);

export const internetGatewayHandlers: HandlerMap = {
  CreateInternetGateway: createInternetGateway,
  DescribeInternetGateways: internetGateways.describeHandler(
    (i: DescribeInternetGatewaysCommandInput) => i.InternetGatewayIds,
    'InternetGateways',
  ) satisfies Handler<DescribeInternetGatewaysCommandInput, Out<DescribeInternetGatewaysCommandOutput>>,
  AttachInternetGateway: attachInternetGateway,
  DetachInternetGateway: detachInternetGateway,
  DeleteInternetGateway: deleteInternetGateway,
};
