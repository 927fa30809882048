import type {
  AttachmentStatus,
  AttachVpnGatewayCommandInput,
  AttachVpnGatewayCommandOutput,
  CreateVpnGatewayCommandInput,
  CreateVpnGatewayCommandOutput,
  DeleteVpnGatewayCommandInput,
  DeleteVpnGatewayCommandOutput,
  DescribeVpnGatewaysCommandInput,
  DescribeVpnGatewaysCommandOutput,
  DetachVpnGatewayCommandInput,
  DetachVpnGatewayCommandOutput,
  VpnGateway,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, idErrors, incorrectState, invalidParameterValue } from './errors';
import {
  defineFamily,
  type Lifecycle,
  moveTo,
  type ResourceRecord,
  type Scope,
  settleLifecycle,
} from './resource-family';
import { differentNetworks, registerRouteTarget } from './route-tables';
import { vpcs } from './vpcs';

/**
 * Virtual private gateways: `pending` then `available`; attached to one VPC at a time (`attaching`
 * → `attached`, `detaching` → `detached`, each for the `pending` delay). Route tables can target
 * one and propagate its routes. Deleted gateways stay listed as `deleted` for an hour.
 * https://docs.aws.amazon.com/vpn/latest/s2svpn/VPC_VPN.html
 */
type Attachment = Lifecycle<AttachmentStatus> & { vpcId: string };

export interface VpnGatewayRecord
  extends ResourceRecord,
    Lifecycle<'pending' | 'available' | 'deleting' | 'deleted'> {
  amazonSideAsn: number;
  zone?: string | undefined;
  attachment?: Attachment | undefined;
}

const HOUR = 60 * 60_000;

const attachmentOf = (g: VpnGatewayRecord, now: number) => {
  if (!g.attachment) return undefined;
  settleLifecycle(g.attachment, now);
  return g.attachment;
};

export const vpnGateways = defineFamily<VpnGatewayRecord, VpnGateway>({
  prefix: 'vgw',
  resourceType: 'vpn-gateway',
  errors: idErrors({
    notFound: 'InvalidVpnGatewayID.NotFound',
    malformed: 'InvalidVpnGatewayId.Malformed',
    noun: 'vpnGateway',
    prefix: 'vgw',
  }),
  settle: settleLifecycle,
  shape: (g, view) => {
    const a = attachmentOf(g, view.now);
    return {
      VpnGatewayId: g.id,
      State: g.state,
      Type: 'ipsec.1',
      AmazonSideAsn: g.amazonSideAsn,
      AvailabilityZone: g.zone,
      VpcAttachments: a ? [{ VpcId: a.vpcId, State: a.state }] : [],
      Tags: view.tags(g.id),
    };
  },
  filters: (view) => ({
    'vpn-gateway-id': (g) => g.id,
    'amazon-side-asn': (g) => g.amazonSideAsn,
    'attachment.state': (g) => attachmentOf(g, view.now)?.state,
    'attachment.vpc-id': (g) => attachmentOf(g, view.now)?.vpcId,
    'availability-zone': (g) => g.zone,
    state: (g) => g.state,
    type: () => 'ipsec.1',
  }),
});

/** The gateway attached (or attaching) to a VPC. */
export const vgwOfVpc = (scope: Scope, vpcId: string) =>
  vpnGateways.list(scope).find((g) => {
    const a = attachmentOf(g, scope.clock.now());
    return a?.vpcId === vpcId && (a.state === 'attached' || a.state === 'attaching');
  });

const createVpnGateway: Handler<CreateVpnGatewayCommandInput, Out<CreateVpnGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  if (input.Type !== 'ipsec.1')
    throw invalidParameterValue(`Value (${input.Type}) for parameter type is invalid.`);
  const asn = input.AmazonSideAsn ?? 64512;
  const privateAsn = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
  if (!privateAsn && asn !== 7224 && asn !== 9059 && asn !== 10124 && asn !== 17493)
    throw invalidParameterValue(
      `Value (${asn}) for parameter amazonSideAsn is invalid. It must be a private ASN.`,
    );
  if (input.AvailabilityZone && !ctx.region.zones.includes(input.AvailabilityZone))
    throw invalidParameterValue(`Invalid availability zone: [${input.AvailabilityZone}]`);
  const now = ctx.clock.now();
  const g = vpnGateways.create(ctx, input, () => {
    const rec = { amazonSideAsn: asn, zone: input.AvailabilityZone, state: 'pending' as const };
    moveTo<VpnGatewayRecord['state']>(rec, now, 'pending', { state: 'available', delay: ctx.delays.pending });
    return rec;
  });
  return { VpnGateway: vpnGateways.shape(ctx, g) };
};

const attachVpnGateway: Handler<AttachVpnGatewayCommandInput, Out<AttachVpnGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const g = vpnGateways.get(ctx, input.VpnGatewayId, 'VpnGatewayId');
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  if (g.state === 'deleted' || g.state === 'deleting')
    throw incorrectState(`The vpn gateway ${g.id} is ${g.state}`);
  const a = attachmentOf(g, now);
  if (a && a.state !== 'detached')
    throw new AwsError(
      'VpnGatewayAttachmentLimitExceeded',
      `The maximum number of attachments for vpn gateway ${g.id} has been reached.`,
    );
  const other = vgwOfVpc(ctx, vpc.id);
  if (other)
    throw invalidParameterValue(
      `The VPC ${vpc.id} already has the virtual private gateway ${other.id} attached.`,
    );
  checkDryRun(input);
  const attachment = { vpcId: vpc.id, state: 'attaching' as AttachmentStatus };
  moveTo(attachment, now, 'attaching', { state: 'attached', delay: ctx.delays.pending });
  g.attachment = attachment;
  return { VpcAttachment: { VpcId: vpc.id, State: attachment.state } };
};

const detachVpnGateway: Handler<DetachVpnGatewayCommandInput, Out<DetachVpnGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const g = vpnGateways.get(ctx, input.VpnGatewayId, 'VpnGatewayId');
  const vpc = vpcs.get(ctx, input.VpcId, 'VpcId');
  const a = attachmentOf(g, now);
  if (!a || a.vpcId !== vpc.id || a.state === 'detached' || a.state === 'detaching')
    throw new AwsError(
      'InvalidVpnGatewayAttachment.NotFound',
      `The attachment with vpn gateway ID '${g.id}' and vpc ID '${vpc.id}' does not exist`,
    );
  checkDryRun(input);
  moveTo(a, now, 'detaching', { state: 'detached', delay: ctx.delays.pending });
  return {};
};

/** A gateway must be detached, and free of VPN connections, before it is deleted. */
const deleteVpnGateway: Handler<DeleteVpnGatewayCommandInput, Out<DeleteVpnGatewayCommandOutput>> = (
  input,
  ctx,
) => {
  const now = ctx.clock.now();
  const g = vpnGateways.get(ctx, input.VpnGatewayId, 'VpnGatewayId');
  if (g.state === 'deleted' || g.state === 'deleting') throw vpnGateways.spec.errors.notFound([g.id]);
  const a = attachmentOf(g, now);
  if (a && a.state !== 'detached') throw incorrectState(`The vpn gateway ${g.id} is attached to ${a.vpcId}`);
  if (connectionsUse(ctx, g)) throw incorrectState(`The vpn gateway ${g.id} has VPN connections`);
  checkDryRun(input);
  moveTo(g, now, 'deleting', { state: 'deleted', delay: 0, visibleFor: HOUR });
  return {};
};

let connectionsUse: (scope: Scope, g: VpnGatewayRecord) => boolean = () => false;
/** The VPN connections family says whether a gateway still has connections. */
export const vpnGatewayInUseWhen = (rule: typeof connectionsUse) => {
  connectionsUse = rule;
};

registerRouteTarget('vgw', {
  check(scope, id, vpc) {
    const g = vpnGateways.get(scope, id, 'GatewayId');
    if (vgwOfVpc(scope, vpc.id) !== g) throw differentNetworks(vpc.id, id);
  },
  active: (scope, id, vpcId) => {
    const g = vpnGateways.find(scope, id);
    return (
      g !== undefined &&
      attachmentOf(g, scope.clock.now())?.state === 'attached' &&
      g.attachment?.vpcId === vpcId
    );
  },
});
vpcs.blockedBy('an attached virtual private gateway', (scope, vpc) => vgwOfVpc(scope, vpc.id) !== undefined);

export const vpnGatewayHandlers: HandlerMap = {
  CreateVpnGateway: createVpnGateway,
  AttachVpnGateway: attachVpnGateway,
  DetachVpnGateway: detachVpnGateway,
  DeleteVpnGateway: deleteVpnGateway,
  DescribeVpnGateways: vpnGateways.describeHandler(
    (i: DescribeVpnGatewaysCommandInput) => i.VpnGatewayIds,
    'VpnGateways',
  ) satisfies Handler<DescribeVpnGatewaysCommandInput, Out<DescribeVpnGatewaysCommandOutput>>,
};
